import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures");

/** Runs the CLI as a user would (`npm run --silent cli -- …` is `tsx src/cli/main.ts …`). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["src/cli/main.ts", ...args],
      {
        cwd: ROOT,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("cli classify", () => {
  it.each([
    ["忘记登录密码了怎么办", "password_reset", "zh-Hans"],
    ["我儲值了但是餘額沒有增加", "topup_missing", "zh-Hant"],
    ["how do I withdraw money to my bank card", "withdraw_howto", "en"],
  ])("classify --json %s", async (text, intent, language) => {
    const { code, stdout } = await cli("classify", "--json", text);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ intent, language });
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.alternatives).toHaveLength(3);
    expect(Object.keys(result).sort()).toEqual(["alternatives", "confidence", "intent", "language"]);
  });

  it("explains a missing text and exits 2", async () => {
    const { code, stderr } = await cli("classify", "--json");
    expect(code).toBe(2);
    expect(stderr).toMatch(/classify needs a text/);
  });

  it("rejects an unknown command and an unknown option", async () => {
    expect((await cli("fly")).code).toBe(2);
    const { code, stderr } = await cli("classify", "--jsn", "hi");
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--jsn'/);
  });
});

describe("cli train and eval", () => {
  it("trains on any text/category CSV with quoted fields and evaluates the model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "guardline-cli-"));
    const data = join(dir, "data.csv");
    const rows = ["text,category", '"hello, there",greet', '"good morning",greet', '"hi ""friend""",greet'];
    rows.push('"bye\nsee you",leave', "goodbye,leave", '"see you later, bye",leave');
    writeFileSync(data, `${rows.join("\n")}\n`);
    const out = join(dir, "model.json");
    const trained = await cli("train", "--data", data, "--out", out);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/trained on 6 examples, 2 labels/);
    expect(JSON.parse(readFileSync(out, "utf8")).labels).toEqual(["greet", "leave"]);

    const evaluated = await cli("eval", "--data", data, "--model", out, "--json");
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report).toMatchObject({ n: 6, accuracy: 1, macroF1: 1 });
    expect(Object.keys(report.perLabel)).toEqual(["greet", "leave"]);
    expect(report.latencyUsP99).toBeGreaterThanOrEqual(report.latencyUsP50);
    rmSync(dir, { recursive: true, force: true });
  });

  it("parses commas, doubled quotes and newlines inside quoted fields", async () => {
    const { readExamplesCsv } = await import("../../src/cli/csv.ts");
    expect(readExamplesCsv(join(FIXTURES, "csv", "quoted.csv"))).toEqual([
      { text: "I paid, but the shop says it failed", label: "payment_failed" },
      { text: 'She said "send it again" — it failed twice', label: "transfer_failed" },
      { text: "line one\nline two of the same message", label: "funds_not_received" },
      { text: "plain text without quotes", label: "refund" },
    ]);
  });

  it("reports a CSV without the needed columns, or malformed, and exits 2", async () => {
    const header = await cli("eval", "--data", join(FIXTURES, "csv", "bad-header.csv"));
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/needs a "text" column and a "label" or "category" column/);
    const malformed = await cli("eval", "--data", join(FIXTURES, "csv", "malformed.csv"));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/malformed\.csv: .*quote/i);
  });

  it("evaluates the product model on the held-out set without --model", async () => {
    const { code, stdout } = await cli(
      "eval",
      "--data",
      join(FIXTURES, "classifier", "heldout.csv"),
      "--json",
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).n).toBe(418);
  });
});

describe("cli chat", () => {
  it("holds a conversation through the dialogue policy, buttons by number", async () => {
    const child = execFile(join(ROOT, "node_modules", ".bin", "tsx"), ["src/cli/main.ts", "chat"], {
      cwd: ROOT,
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stdin?.end("hello\n1\n2\n");
    await new Promise((resolve) => child.on("close", resolve));
    expect(output).toMatch(/official Example Wallet support assistant/);
    expect(output).toMatch(/\[1\] Reset password/);
    expect(output).toMatch(/Did this help\?/);
    expect(output).toMatch(/Sorry that didn't help/);
  });
});

describe("cli registry signing", () => {
  it("makes a key, signs a copy of content/, verifies it, and refuses it once a contact changes", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), "guardline-registry-"));
    const content = join(dir, "content");
    cpSync(join(ROOT, "content"), content, { recursive: true });
    try {
      // Act
      const keygen = await cli("registry:keygen", "--out", join(dir, "keys"));
      const publicKey = /public key:\s+(\S+)/.exec(keygen.stdout)?.[1] ?? "";
      const signed = await cli(
        "registry:sign",
        "--key",
        join(dir, "keys", "registry-private.pem"),
        "--content",
        content,
      );
      const verified = await cli("registry:verify", "--public-key", publicKey, "--content", content);
      const again = await cli("registry:keygen", "--out", join(dir, "keys"));
      const yaml = join(content, "contacts.yaml");
      writeFileSync(yaml, readFileSync(yaml, "utf8").replace("+1 202-555-0199", "+1 202-555-0142"));
      const tampered = await cli("registry:verify", "--public-key", publicKey, "--content", content);

      // Assess
      expect(keygen.code).toBe(0);
      expect(publicKey).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(signed.stdout).toContain("signed contact registry version");
      expect(readFileSync(join(content, "contacts.signature.yaml"), "utf8")).toContain("algorithm: ed25519");
      expect(verified).toMatchObject({ code: 0 });
      expect(again.code).toBe(2);
      expect(tampered.code).toBe(2);
      expect(tampered.stderr).toContain("does not match its signature");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
