import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures");

const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** Runs the CLI as a user would (`npm run --silent cli -- …` is `tsx src/cli/main.ts …`). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

async function cliWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ["src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
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
    const trained = await cli("train", "--data", data, "--out", out, "--cv", "3");
    expect(trained.code).toBe(0);
    // Latin-only data: the word and sub-word families, C and max-df are searched, Han is not.
    expect(trained.stderr).toMatch(/3-fold cross-validation, \d+ settings/);
    expect(trained.stderr).toMatch(
      /→ [01]\.\d{4} {2}C [\d.]+ · han 1–2 · words 1–\d · sub \d–\d · max-df [\d.]+ {3}\(/,
    );
    expect(trained.stderr).not.toMatch(/han 1–3/);
    expect(trained.stderr).toMatch(/chosen: C /);
    expect(trained.stderr).toMatch(/trained on 6 examples, 2 labels/);
    const file = JSON.parse(readFileSync(out, "utf8"));
    expect(file.labels).toEqual(["greet", "leave"]);
    expect(file.training.selection).toMatchObject({ k: 3, chosen: expect.stringMatching(/^C /) });

    const forced = await cli("train", "--data", data, "--out", out, "--cv", "3", "--c", "4", "--words", "1");
    expect(forced.code).toBe(0);
    expect(forced.stderr).not.toMatch(/C 2 ·|words 1–2/);
    const fixed = await cli("train", "--data", data, "--out", out, "--fixed", "--cv", "3", "--c", "4");
    expect(fixed.stderr).toMatch(
      /3-fold cross-validated accuracy of C 4 · han 1–2 · words 1–2 · sub 3–4 · max-df 0\.2: /,
    );
    expect(JSON.parse(readFileSync(out, "utf8")).training).toMatchObject({ c: 4, maxDf: 0.2 });
    expect(JSON.parse(readFileSync(out, "utf8")).training.selection).toBeUndefined();
    for (const [flag, value, message] of [
      ["--cv", "1", /--cv must be a whole number from 2 to 20/],
      ["--c", "0", /--c must be a number above 0/],
      ["--han", "3-1", /--han must be a range like 1-3/],
      ["--subwords", "x", /--subwords must be a range like 1-3/],
      ["--words", "3", /--words must be 1 or 2/],
      ["--han-runs", "maybe", /--han-runs must be yes or no/],
      ["--max-df", "2", /--max-df must be a fraction above 0, at most 1/],
    ] as const) {
      const bad = await cli("train", "--data", data, "--out", out, flag, value);
      expect(bad.code, flag).toBe(2);
      expect(bad.stderr, flag).toMatch(message);
    }

    const evaluated = await cli("eval", "--data", data, "--model", out, "--json");
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report).toMatchObject({ n: 6, accuracy: 1, macroF1: 1 });
    expect(Object.keys(report.perLabel)).toEqual(["greet", "leave"]);
    expect(report.latencyUsP99).toBeGreaterThanOrEqual(report.latencyUsP50);
    expect(report.confusedPairs).toEqual([]);
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
    const report = JSON.parse(stdout);
    expect(report.n).toBe(418);
    // Every error is in exactly one confused pair.
    const errors = report.confusedPairs.reduce((sum: number, p: { total: number }) => sum + p.total, 0);
    expect(errors).toBe(Math.round(report.n * (1 - report.accuracy)));
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

/** `npm start` (`tsx src/local/main.ts`) in a child process, on a free port, with its own data. */
async function startServer(env: Record<string, string>) {
  const child = spawn(TSX, ["src/local/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up: ${stdout}`)), 60_000);
    child.stdout.on("data", () => {
      const match = /web chat\s+(http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(() => reject(new Error(`npm start exited: ${stdout}`)));
  });
  return {
    url,
    banner: () => stdout,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("cli while npm start runs", () => {
  it("creates an agent through the running server's store, and the new token signs in at once", async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), "guardline-start-"));
    const server = await startServer({ DATA_DIR: dataDir });
    try {
      expect(server.banner()).toMatch(/DynamoDB API at http:\/\/127\.0\.0\.1:\d+/);
      expect(server.banner()).toContain("works while this runs");
      expect(existsSync(join(dataDir, "guardline-store.json"))).toBe(true);

      // Act
      const created = await cliWith({ DATA_DIR: dataDir }, "agent:create", "--name", "Night shift", "--json");

      // Assess
      expect(created.stderr).not.toMatch(/LOCK|IO error/);
      expect(created.code).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };
      const me = await fetch(new URL("agent/me", server.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { agent: { name: string } }).agent.name).toBe("Night shift");
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(join(dataDir, "guardline-store.json"))).toBe(false);
    // Without the server the CLI opens the same data itself.
    const again = await cliWith({ DATA_DIR: dataDir }, "agent:create", "--name", "Day shift", "--json");
    expect(again.code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});

describe("start-up configuration problems", () => {
  /** Runs `npm start` expecting it to refuse to start. */
  async function refusedStart(env: Record<string, string>) {
    try {
      await run(TSX, ["src/local/main.ts"], {
        cwd: ROOT,
        env: { ...process.env, PORT: "0", ...env },
        timeout: 60_000,
      });
      return { code: 0, stderr: "" };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr };
    }
  }

  it("prints one line per bad variable, naming what it expects but not its value, and exits 1", async () => {
    const token = "not-a-bot-token-secret-value";
    const { code, stderr } = await refusedStart({
      TELEGRAM_BOT_TOKEN: token,
      PORT: "99999",
      LOG_LEVEL: "loud",
    });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      "Guardline cannot start:",
      "  PORT: expected a number ≤ 65535",
      "  LOG_LEVEL: expected one of debug, info, warn, error",
      "  TELEGRAM_BOT_TOKEN: expected <bot id>:<secret> as BotFather gives it",
    ]);
    expect(stderr).not.toContain(token);
  }, 60_000);

  it("names an unreachable DYNAMODB_ENDPOINT in one line, and a data directory already in use", async () => {
    const unreachable = await refusedStart({ DYNAMODB_ENDPOINT: "http://127.0.0.1:9" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split("\n")).toEqual([
      "Guardline cannot start:",
      "  DYNAMODB_ENDPOINT: nothing answers at http://127.0.0.1:9; start that store, or unset DYNAMODB_ENDPOINT to use the embedded one",
    ]);

    const dataDir = mkdtempSync(join(tmpdir(), "guardline-twice-"));
    const first = await startServer({ DATA_DIR: dataDir });
    try {
      const second = await refusedStart({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/^ {2}DATA_DIR: .* is in use by another process/m);
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("gives the CLI the same one-line problems, with exit 2", async () => {
    const { code, stderr } = await cliWith({ TABLE_NAME: "bad name!" }, "agent:create", "--name", "X");
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("error: TABLE_NAME: expected 3–255 of A-Z a-z 0-9 _ . -");
    for (const endpoint of ["http://127.0.0.1:9", "http://nosuchhost.invalid:8000"]) {
      const unreachable = await cliWith({ DYNAMODB_ENDPOINT: endpoint }, "agent:create", "--name", "X");
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr.trim()).toBe(
        `error: DYNAMODB_ENDPOINT: nothing answers at ${endpoint}; start that store, or unset DYNAMODB_ENDPOINT to use the embedded one`,
      );
    }
  }, 60_000);
});
