import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { createDocumentClient } from "../../src/store/client.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "web");
const TABLE = "guardline-web-fixtures";
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  configureLog({ level: "error" });
  server = await startLocalServer({ tableName: TABLE });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

async function storedItems(): Promise<number> {
  return (await client.send(new ScanCommand({ TableName: TABLE, Select: "COUNT" }))).Count ?? 0;
}

/** A fixture body with its `SESSION` placeholder replaced by a fresh random session id. */
function load(name: string): { raw: string; sessionId: string } {
  const sessionId = randomBytes(16).toString("base64url");
  return { raw: readFileSync(join(FIXTURES, name), "utf8").replaceAll("SESSION", sessionId), sessionId };
}

async function post(raw: string) {
  const response = await fetch(new URL("web/messages", server.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read freely
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function history(sessionId: string) {
  const response = await fetch(new URL(`web/messages?sessionId=${sessionId}`, server.url));
  return ((await response.json()) as { messages: { from: string; text: string }[] }).messages;
}

describe("web chat fixtures", () => {
  it.each([
    ["text-zh-hans.json"],
    ["text-zh-hant.json"],
    ["text-en.json"],
    ["text-mixed.json"],
    ["button-menu.json"],
    ["button-unknown.json"],
  ])("%s is answered and stored with the bot's replies", async (name) => {
    // Prepare
    const { raw, sessionId } = load(name);

    // Act
    const { status, body } = await post(raw);

    // Assess
    expect(status).toBe(200);
    expect(body).toMatchObject({
      conversationId: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.1$/),
      status: "bot",
    });
    expect(body.replies.length).toBeGreaterThanOrEqual(1);
    const stored = await history(sessionId);
    expect(stored[0]?.from).toBe("user");
    expect(stored.slice(1).map((m) => m.text)).toEqual(body.replies.map((r: { text: string }) => r.text));
  });

  // A body that is not an object names no field (web-api.test.ts holds the same rule).
  const fields: Record<string, string | undefined> = {
    "invalid-malformed.txt": "body",
    "invalid-array.json": undefined,
    "invalid-missing-session.json": "sessionId",
    "invalid-short-session.json": "sessionId",
    "invalid-hostile-session.json": "sessionId",
    "invalid-text-and-button.json": "text",
    "invalid-neither.json": "text",
    "invalid-empty-text.json": "text",
    "invalid-unknown-field.json": "admin",
    "invalid-text-not-string.json": "text",
    "invalid-locale.json": "locale",
    "invalid-button-control-chars.json": "buttonId",
    "invalid-client-message-id.json": "clientMessageId",
  };

  it("has an expectation for every invalid fixture", () => {
    const invalid = readdirSync(FIXTURES).filter((n) => n.startsWith("invalid-"));
    expect(invalid.sort()).toEqual(Object.keys(fields).sort());
  });

  it.each(Object.entries(fields))(
    "%s is refused with 400 naming %s, and stores nothing",
    async (name, field) => {
      const before = await storedItems();
      const { raw } = load(name);
      const { status, body } = await post(raw);
      expect(status).toBe(400);
      expect(body.error.field).toBe(field);
      expect(JSON.stringify(body)).not.toContain("<script>");
      expect(await storedItems()).toBe(before);
    },
  );

  it("refuses text over 4,000 characters and a body over 64 KB", async () => {
    const { raw, sessionId } = load("text-en.json");
    const long = JSON.parse(raw) as { text: string };
    long.text = "字".repeat(4001);
    const tooLong = await post(JSON.stringify(long));
    long.text = "a".repeat(3000);
    const padded = { ...long, clientMessageId: "x" };
    const huge = await post(JSON.stringify(padded).replace('"x"', `"${"y".repeat(70 * 1024)}"`));
    expect([tooLong.status, tooLong.body.error.field]).toEqual([400, "text"]);
    expect([huge.status, huge.body.error.field]).toEqual([400, "body"]);
    expect(await history(sessionId)).toEqual([]);
  });
});
