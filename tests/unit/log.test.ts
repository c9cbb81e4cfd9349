import { describe, expect, it } from "vitest";
import { configureLog, errorFields, logger } from "../../src/log.ts";
import { captureLogs } from "../support/log-capture.ts";

describe("log", () => {
  it("logs info and above by default, everything at debug, warn and above at warn", () => {
    const logs = captureLogs();
    try {
      const all = () => {
        logger.debug("at debug");
        logger.info("at info");
        logger.warn("at warn");
        logger.error("at error");
      };
      configureLog({ level: "info" });
      all();
      expect(logs.entries().map((e) => e.level)).toEqual(["INFO", "WARN", "ERROR"]);
      logs.clear();
      configureLog({ level: "warn" });
      all();
      expect(logs.entries().map((e) => e.message)).toEqual(["at warn", "at error"]);
      logs.clear();
      configureLog({ level: "debug" });
      all();
      expect(logs.entries()).toHaveLength(4);
    } finally {
      logs.stop();
      configureLog({ level: "info" });
    }
  });

  it("writes one JSON line per entry, even when a field holds line breaks", () => {
    const logs = captureLogs();
    try {
      logger.info("first", { note: "a\nb\r\nc\u2028d" });
      logger.warn("second");
      expect(logs.raw).toHaveLength(2);
      for (const line of logs.raw) expect(line).not.toMatch(/[\n\r]/);
      expect(logs.entries()[0]).toMatchObject({
        level: "INFO",
        message: "first",
        service: "guardline",
        note: "a\nb\r\nc\u2028d",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    } finally {
      logs.stop();
    }
  });
});

describe("errorFields", () => {
  it("keeps the name, a scrubbed message and frames naming source files, the cause by name", () => {
    const error = new Error(
      'sending "my seed words" to 13912345678 with token=abc:def failed for Zx9_kLmNoPqRsTuVwXyZ012345',
      { cause: new TypeError("inner") },
    );
    const fields = errorFields(error);
    expect(fields).toMatchObject({ errorName: "Error", causeName: "TypeError" });
    expect(fields.errorMessage).toBe("sending … to … with token=… failed for …");
    expect(String(fields.errorStack)).toMatch(/log\.test\.ts:\d+:\d+/);
  });

  it("names the type of a thrown non-Error", () => {
    expect(errorFields("text")).toEqual({ errorName: "string" });
  });
});
