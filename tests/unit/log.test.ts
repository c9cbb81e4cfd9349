import { beforeEach, describe, expect, it, vi } from "vitest";

type LogModule = typeof import("../../src/log.ts");

/** A fresh copy of the module (its level and sink are module state), logging into `lines`. */
async function freshLog(): Promise<{ mod: LogModule; lines: string[] }> {
  vi.resetModules();
  const mod = await import("../../src/log.ts");
  const lines: string[] = [];
  mod.configureLog({ sink: (line) => lines.push(line) });
  return { mod, lines };
}

describe("log", () => {
  let mod: LogModule;
  let lines: string[];

  beforeEach(async () => {
    ({ mod, lines } = await freshLog());
  });

  it("logs info and above by default", () => {
    // Act
    for (const level of ["debug", "info", "warn", "error"] as const) mod.log(level, `at ${level}`);

    // Assess
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(["info", "warn", "error"]);
  });

  it("drops events below the configured level, and keeps the level when only the sink changes", () => {
    // Prepare
    mod.configureLog({ level: "warn" });
    const other: string[] = [];
    mod.configureLog({ sink: (line) => other.push(line) });

    // Act
    for (const level of ["debug", "info", "warn", "error"] as const) mod.log(level, `at ${level}`);

    // Assess
    expect(lines).toEqual([]);
    expect(other.map((l) => JSON.parse(l).event)).toEqual(["at warn", "at error"]);
  });

  it("logs everything at debug", () => {
    // Prepare
    mod.configureLog({ level: "debug" });

    // Act
    mod.log("debug", "detail");

    // Assess
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(["detail"]);
  });

  it("writes one JSON line per event, even when a field holds line breaks", () => {
    // Act
    mod.log("info", "first", { note: "a\nb\r\nc\u2028d" });
    mod.log("warn", "second");

    // Assess
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/[\n\r]/);
    expect(JSON.parse(lines[0] ?? "").note).toBe("a\nb\r\nc\u2028d");
  });

  it("keeps level, time, event and the given fields, and leaves out undefined ones", () => {
    // Prepare
    const before = Date.now();

    // Act
    mod.log("error", "request failed", { route: "POST /api/chat", status: 500, ok: false, gone: undefined });

    // Assess
    const entry = JSON.parse(lines[0] ?? "");
    expect(entry).toEqual({
      level: "error",
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      event: "request failed",
      route: "POST /api/chat",
      status: 500,
      ok: false,
    });
    expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(entry.time)).toBeLessThanOrEqual(Date.now() + 1);
  });
});
