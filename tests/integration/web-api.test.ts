import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { type CapturedLogs, captureLogs } from "../support/log-capture.ts";

let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;
let logs: CapturedLogs;

beforeAll(async () => {
  logs = captureLogs();
  server = await startLocalServer({ tableName: "guardline-web-api" });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
}, 30_000);

afterAll(async () => {
  logs.stop();
  client?.destroy();
  await server?.close();
});

let sessions = 0;
/** A fresh, valid session id per test, so conversations never mix. */
function session(): string {
  return `test-session-${String(++sessions).padStart(4, "0")}-abcdefghij`;
}

function post(body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return fetch(new URL("web/messages", server.url), { method: "POST", headers, body: payload });
}

interface PostBody {
  conversationId: string;
  status: string;
  replies: { text: string; buttons?: { id: string; label: string }[] }[];
}
interface History {
  messages: { id: string; from: string; text: string; at: string }[];
  cursor: string | null;
}

interface ErrorBody {
  error: { message: string; field?: string };
}

async function postJson(body: unknown): Promise<PostBody> {
  return (await post(body)).json() as Promise<PostBody>;
}

async function history(sessionId: string, after?: string): Promise<History> {
  const query = after ? `sessionId=${sessionId}&after=${after}` : `sessionId=${sessionId}`;
  return (await fetch(new URL(`web/messages?${query}`, server.url))).json() as Promise<History>;
}

async function items(): Promise<Record<string, unknown>[]> {
  const result = await client.send(new ScanCommand({ TableName: "guardline-web-api" }));
  return result.Items ?? [];
}

describe("web chat API through the local server", () => {
  it("reports health and the enabled channels", async () => {
    const response = await fetch(new URL("healthz", server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      channels: { web: true, telegram: false, discord: false, meta: false },
    });
  });

  it("serves the chat page with a restrictive content security policy", async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    // No site is allowed to embed the chat here: no one may frame it.
    expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(await response.text()).toContain("<html");
  });

  it("serves the widget to the chat's own pages and to pages that send no referrer, and refuses any other site", async () => {
    // Act
    const own = await fetch(new URL("widget.js", server.url), { headers: { referer: server.url } });
    const anonymous = await fetch(new URL("widget.js", server.url));
    const other = await fetch(new URL("widget.js", server.url), {
      headers: { referer: "https://shop.example.net/" },
    });
    const hostile = await fetch(new URL("widget.js", server.url), {
      headers: { referer: "javascript:alert(1)//" },
    });
    const lookalike = await fetch(new URL("widget.js", server.url), {
      headers: { referer: `http://${new URL(server.url).host}.evil.example/` },
    });
    const garbage = await fetch(new URL("widget.js", server.url), {
      headers: { referer: "not a url at all" },
    });

    // Assess
    for (const ok of [own, anonymous]) {
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
      expect(ok.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      expect(await ok.text()).toContain("guardline-chat");
    }
    for (const refused of [other, hostile, lookalike, garbage]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        error: { message: "this site may not embed the support chat" },
      });
    }
  });

  it.each([
    ["zh-Hans", "忘记登录密码了怎么办", "password_reset"],
    ["zh-Hant", "我儲值了但是餘額沒有增加", "topup_missing"],
    ["en", "how do I withdraw money to my bank card", "withdraw_howto"],
  ])("answers a %s message and stores it under the documented keys", async (_locale, text, intent) => {
    // Prepare
    const sessionId = session();

    // Act
    const response = await post({ sessionId, text, clientMessageId: "first" });

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as { conversationId: string; status: string; replies: unknown[] };
    expect(body.status).toBe("bot");
    expect(body.replies[0]).toMatchObject({ buttons: [{ id: `fb:y:${intent}` }, { id: `fb:n:${intent}` }] });
    const stored = (await items()).filter(
      (i) => i.conversationId === body.conversationId && typeof i.pk === "string",
    );
    const head = stored.find((i) => i.sk === "CONV");
    expect(head).toMatchObject({
      pk: expect.stringMatching(/^USER#/),
      status: "bot",
      version: 1,
      channel: "web",
    });
    const messages = stored.filter((i) => String(i.sk).startsWith("MSG#"));
    expect(messages.map((m) => [m.pk, m.sk, m.from])).toEqual([
      [`CONV#${body.conversationId}`, "MSG#0000000001#00", "user"],
      [`CONV#${body.conversationId}`, "MSG#0000000001#01", "bot"],
    ]);
    expect(messages[0]).toMatchObject({ text, intent, eventId: "web:first" });
  });

  it("stores and answers a message posted five times at once with one id only once", async () => {
    // Prepare
    const sessionId = session();
    const body = { sessionId, text: "what are the fees for a transfer", clientMessageId: "retry-1" };

    // Act
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(body)));
    const bodies = await Promise.all(responses.map((r) => r.json()));

    // Assess
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    const stored = await history(sessionId);
    expect(stored.messages.filter((m) => m.from === "user")).toHaveLength(1);
  });

  it("follows a button press and lists the conversation after a cursor", async () => {
    // Prepare
    const sessionId = session();
    const first = await postJson({ sessionId, text: "忘记登录密码了怎么办" });
    const before = await history(sessionId);
    const button = first.replies[0]?.buttons?.[0];

    // Act
    const pressed = await postJson({ sessionId, buttonId: button?.id });
    const after = await history(sessionId, before.cursor ?? undefined);

    // Assess
    expect(before.messages.map((m) => m.from)).toEqual(["user", "bot"]);
    expect(pressed.replies).toHaveLength(1);
    expect(after.messages.map((m) => [m.from, m.text])).toEqual([
      ["user", button?.label],
      ["bot", pressed.replies[0]?.text],
    ]);
    expect(after.cursor).toMatch(/^1-2\.1$/);
  });

  it("decodes a body API Gateway passed base64-encoded", async () => {
    const response = await post(
      { sessionId: session(), text: "hello" },
      { "content-type": "application/octet-stream" },
    );
    expect(response.status).toBe(200);
  });

  it("stores hostile but valid text in normal form (no NUL, no bidi override, no lone surrogate) and never echoes it", async () => {
    // Prepare
    const sessionId = session();
    const text = "<script>alert(1)</script>\u202e\u0000 \ud800 call +1 555 0123 now";

    // Act
    const response = await post({ sessionId, text });

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).not.toContain("555 0123");
    const stored = await history(sessionId);
    expect(stored.messages[0]?.text).toBe("<script>alert(1)</script> \ufffd call +1 555 0123 now");
  });

  const valid = "bad-input-session-abcdefghijk";
  it.each([
    ["malformed JSON", "{not json", "body"],
    ["a JSON array", "[]", undefined],
    ["no sessionId", { text: "hi" }, "sessionId"],
    ["a short sessionId", { sessionId: "abc", text: "hi" }, "sessionId"],
    ["a hostile sessionId", { sessionId: "../../etc/passwd<script>aaaaaaaaaa", text: "hi" }, "sessionId"],
    ["a numeric sessionId", { sessionId: 1234567890, text: "hi" }, "sessionId"],
    ["text over 4000 characters", { sessionId: valid, text: "好".repeat(4001) }, "text"],
    ["empty text", { sessionId: valid, text: "   " }, "text"],
    ["neither text nor buttonId", { sessionId: valid }, "text"],
    ["both text and buttonId", { sessionId: valid, text: "hi", buttonId: "menu" }, "text"],
    ["a control character in buttonId", { sessionId: valid, buttonId: "menu\n" }, "buttonId"],
    ["an unknown locale", { sessionId: valid, text: "hi", locale: "fr" }, "locale"],
    [
      "a hostile clientMessageId",
      { sessionId: valid, text: "hi", clientMessageId: "x'; DROP TABLE" },
      "clientMessageId",
    ],
    ["an unknown field", { sessionId: valid, text: "hi", admin: true }, "admin"],
    ["a body over 64 KB", { sessionId: valid, text: "hi", pad: "x".repeat(70_000) }, "body"],
  ])("refuses %s with 400 naming the field, and stores nothing", async (_case, body, field) => {
    // Prepare
    const before = (await items()).length;

    // Act
    const response = await post(body);

    // Assess
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.message).toEqual(expect.any(String));
    expect(error.field).toBe(field);
    expect((await items()).length).toBe(before);
  });

  it.each([
    ["no sessionId", "", "sessionId"],
    ["a bad sessionId", "?sessionId=short", "sessionId"],
    ["a bad cursor", `?sessionId=${valid}&after=MSG%23000`, "after"],
  ])("refuses a history request with %s", async (_case, query, field) => {
    const response = await fetch(new URL(`web/messages${query}`, server.url));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.field).toBe(field);
  });

  it("answers an unknown session's history with nothing, and unknown routes with 404/405", async () => {
    const history = await fetch(new URL(`web/messages?sessionId=${"u".repeat(30)}`, server.url));
    expect(await history.json()).toEqual({ messages: [], cursor: null });
    expect((await fetch(new URL("nowhere", server.url))).status).toBe(404);
    expect((await fetch(new URL("healthz", server.url), { method: "POST" })).status).toBe(405);
  });

  it.each(["/", "/console", "/healthz"])("answers HEAD %s like GET, without a body", async (path) => {
    const get = await fetch(new URL(path.slice(1), server.url));
    const head = await fetch(new URL(path.slice(1), server.url), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(head.headers.get("content-security-policy")).toBe(get.headers.get("content-security-policy"));
    expect(await head.text()).toBe("");
    expect((await get.text()).length).toBeGreaterThan(0);
  });

  it("answers a session past 120 messages in a minute with 429 and Retry-After, storing nothing more", async () => {
    // Prepare: start early in a minute, so that the whole run falls in one (it takes about a second)
    const seconds = new Date().getUTCSeconds();
    if (seconds > 45) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    const sessionId = session();
    for (let i = 0; i < 120; i++) expect((await post({ sessionId, text: `第 ${i} 条` })).status).toBe(200);
    const before = (await history(sessionId)).messages.length;

    // Act
    const refused = await post({ sessionId, text: "再来一条" });

    // Assess
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as ErrorBody).error.message).toMatch(/too many messages/);
    expect((await history(sessionId)).messages.length).toBe(before);
  }, 60_000);

  it("keeps a pasted recovery phrase out of the table, the history and the logs, and warns at once", async () => {
    // Prepare
    const sessionId = session();
    const phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident";

    // Act
    const reply = await postJson({ sessionId, text: `客服让我发助记词：${phrase}` });

    // Assess
    expect(reply.replies[0]?.text).toContain("助记词");
    const everything = JSON.stringify(await items());
    for (const word of ["absorb", "abstract", "accident"]) {
      expect(everything).not.toContain(word);
      expect(logs.raw.join("\n")).not.toContain(word);
    }
    const stored = await history(sessionId);
    expect(stored.messages[0]?.text).toBe("客服让我发助记词：[REDACTED:mnemonic]");
    const head = (await items()).find((i) => i.sk === "CONV" && i.conversationId === reply.conversationId);
    expect(head).toMatchObject({ priority: "urgent", flags: ["secret_shared"] });
  });

  it("logs each request's route and outcome, never message text or session ids", () => {
    expect(logs.raw.length).toBeGreaterThan(20);
    for (const line of logs.raw) {
      expect(line).not.toMatch(/忘记|儲值|withdraw|555 0123|script|session-|abcdefghij/);
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (!("level" in entry)) continue; // a metrics blob (EMF)
      expect(entry).toMatchObject({
        level: expect.any(String),
        timestamp: expect.any(String),
        message: expect.any(String),
        service: "guardline",
      });
      if (entry.message === "request" || entry.message === "request failed") {
        expect(entry).toMatchObject({ route: expect.any(String), status: expect.any(Number) });
      }
    }
  });
});
