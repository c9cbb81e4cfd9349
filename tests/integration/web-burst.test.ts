import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";

let server: LocalServer;

beforeAll(async () => {
  configureLog({ level: "error" });
  server = await startLocalServer({ tableName: "guardline-web-burst" });
}, 30_000);

afterAll(() => server?.close());

describe("a burst of messages to one conversation", () => {
  it("answers each with the bot's replies or a plain 503 with Retry-After, never a 409 or an internal id", async () => {
    // Prepare
    const sessionId = "burst-session-0000000000001";
    const texts = Array.from({ length: 100 }, (_, i) => `how do I top up? (${i})`);

    // Act: all at once, as a script or a stuck key would send them
    const responses = await Promise.all(
      texts.map(async (text) => {
        const response = await fetch(new URL("web/messages", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionId, text }),
        });
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          body: await response.text(),
        };
      }),
    );

    // Assess
    const statuses = responses.map((r) => r.status);
    const answered = statuses.filter((s) => s === 200).length;
    const busy = responses.filter((r) => r.status === 503);
    console.log(`burst: ${answered} answered, ${busy.length} × 503 of ${responses.length}`);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(answered).toBeGreaterThanOrEqual(90);
    for (const r of busy) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(r.body)).toEqual({ error: { message: expect.stringMatching(/busy/) } });
    }
    for (const r of responses) expect(r.body).not.toMatch(/version \d|[A-Za-z0-9_-]{22}\.1 changed/);
    const stored: { from: string }[] = [];
    for (let cursor = ""; ; ) {
      const page = await fetch(new URL(`web/messages?sessionId=${sessionId}${cursor}`, server.url));
      const body = (await page.json()) as { messages: { from: string }[]; cursor: string | null };
      if (body.messages.length === 0) break;
      stored.push(...body.messages);
      cursor = `&after=${body.cursor}`;
    }
    expect(stored.filter((m) => m.from === "user")).toHaveLength(answered);
  }, 60_000);
});
