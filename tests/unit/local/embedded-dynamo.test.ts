import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RECORD_FILE, runningStore, startEmbeddedDynamo } from "../../../src/local/embedded-dynamo.ts";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "guardline-embedded-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the embedded store's endpoint record", () => {
  it("is written by a store that advertises itself, found by others while it runs, and removed when it stops", async () => {
    const dir = dataDir();
    const store = await startEmbeddedDynamo({ dataDir: dir, advertise: true });
    const record = JSON.parse(readFileSync(join(dir, RECORD_FILE), "utf8"));
    expect(record).toMatchObject({ endpoint: store.endpoint, pid: process.pid });
    expect(await runningStore(dir)).toBe(store.endpoint);
    await store.close();
    expect(existsSync(join(dir, RECORD_FILE))).toBe(false);
    expect(await runningStore(dir)).toBeUndefined();
  });

  it("is not written by a short-lived user of the data (the CLI), so nobody comes to depend on it", async () => {
    const dir = dataDir();
    const store = await startEmbeddedDynamo({ dataDir: dir });
    expect(existsSync(join(dir, RECORD_FILE))).toBe(false);
    expect(await runningStore(dir)).toBeUndefined();
    await store.close();
  });

  it("ignores a record left by a process that is gone, or naming an endpoint that takes no connections", async () => {
    const dir = dataDir();
    writeFileSync(
      join(dir, RECORD_FILE),
      JSON.stringify({ endpoint: "http://127.0.0.1:9", pid: process.pid }),
    );
    expect(await runningStore(dir)).toBeUndefined();
    writeFileSync(
      join(dir, RECORD_FILE),
      JSON.stringify({ endpoint: "http://127.0.0.1:9", pid: 2 ** 22 + 7 }),
    );
    expect(await runningStore(dir)).toBeUndefined();
    writeFileSync(join(dir, RECORD_FILE), "{not json");
    expect(await runningStore(dir)).toBeUndefined();
  });
});
