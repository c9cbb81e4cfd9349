import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { createAgent, revokeAgent } from "../../src/handoff/agent-auth.ts";
import { runHandoffJobs } from "../../src/handoff/jobs.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { FakeTelegram } from "../support/fake-telegram.ts";
import { type CapturedLogs, captureLogs } from "../support/log-capture.ts";

const SECRET = "agent-test-secret";
const fake = new FakeTelegram();
let server: LocalServer;
let alice: string;
let bob: string;
let admin: string;
let logs: CapturedLogs;

beforeAll(async () => {
  logs = captureLogs();
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: "7012345678:AAHfakeTokenForTestsOnly_abcdefghijk",
    TELEGRAM_SECRET_TOKEN: SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
  });
  server = await startLocalServer({ tableName: "guardline-agents" });
  const { agents } = agentRuntime(runtime());
  alice = (await createAgent(agents, { name: "Alice", role: "agent" })).token;
  bob = (await createAgent(agents, { name: "Bob", role: "agent" })).token;
  admin = (await createAgent(agents, { name: "Root", role: "admin" })).token;
}, 30_000);

afterAll(async () => {
  logs.stop();
  await server?.close();
  await fake.stop();
  for (const name of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_ROOT"])
    delete process.env[name];
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API under test
type Json = any;

async function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(new URL(path.slice(1), server.url), {
    method,
    headers,
    ...(payload ? { body: payload } : {}),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

let sessions = 0;
async function userSays(
  text: string,
  sessionId = `agent-test-session-${String(++sessions).padStart(6, "0")}`,
) {
  const { body } = await call("POST", "/web/messages", undefined, { sessionId, text });
  return { sessionId, ...(body as { conversationId: string; status: string; replies: { text: string }[] }) };
}

async function webHistory(sessionId: string): Promise<{ from: string; text: string }[]> {
  return (await call("GET", `/web/messages?sessionId=${sessionId}`)).body.messages;
}

/** A Telegram user sends /human; the id of their conversation, now waiting in the queue. */
async function telegramUserAsksForHuman(chatId: number): Promise<string> {
  await fetch(new URL("webhooks/telegram", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify({
      update_id: chatId,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: chatId, type: "private" },
        from: { id: chatId, is_bot: false, first_name: "T" },
        text: "/human",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    }),
  });
  const queue = (await call("GET", "/agent/conversations?status=waiting", alice)).body.conversations;
  return queue.find((c: Json) => c.channel === "telegram" && c.status === "waiting").id as string;
}

describe("handoff through the agent API", () => {
  it("queues a user who asks for a person, with one acknowledgement of their place", async () => {
    const user = await userSays("我要转人工客服");
    expect(user.status).toBe("waiting");
    expect(user.replies.at(-1)?.text).toMatch(/你前面还有 [1-9]\d* 位用户|你是下一位/);
    const queue = await call("GET", "/agent/conversations?status=waiting", alice);
    expect(queue.body.conversations.map((c: Json) => c.id)).toContain(user.conversationId);
    const later = await userSays("还要等多久？", user.sessionId);
    expect(later.replies).toEqual([]);
  });

  it("lets an agent claim, reply, note, hand back; the bot is silent meanwhile and answers again after", async () => {
    // Prepare
    const user = await userSays("I want to talk to a human");
    const id = user.conversationId;

    // Act + Assess: claim
    const claimed = await call("POST", `/agent/conversations/${id}/claim`, alice);
    expect(claimed.body.conversation).toMatchObject({ status: "agent", priority: "normal", channel: "web" });
    const seenByBob = (await call("GET", `/agent/conversations/${id}`, bob)).body.conversation;
    expect(seenByBob.claimedBy).toEqual({ id: expect.any(String), name: "Alice" });
    expect((await call("GET", "/agent/conversations?status=mine", alice)).body.conversations[0].id).toBe(id);

    // the user writes while the agent holds the conversation: stored, not answered by the bot
    expect((await userSays("hello? anyone there", user.sessionId)).replies).toEqual([]);

    const reply = await call("POST", `/agent/conversations/${id}/messages`, alice, {
      text: "Hi, this is Alice from support.",
    });
    expect(reply.status).toBe(200);
    const note = await call("POST", `/agent/conversations/${id}/notes`, alice, {
      text: "Identity checked by phone",
    });
    expect(note.body.message.from).toBe("note");

    const history = await webHistory(user.sessionId);
    expect(history.map((m) => m.from)).toContain("agent");
    expect(history.map((m) => m.text)).not.toContain("Identity checked by phone");
    const transcript = (await call("GET", `/agent/conversations/${id}`, alice)).body.messages;
    expect(transcript.map((m: Json) => m.from)).toEqual(["user", "bot", "bot", "user", "agent", "note"]);
    expect(transcript.at(-1).agent).toEqual({ id: expect.any(String), name: "Alice" });

    const back = await call("POST", `/agent/conversations/${id}/handback`, alice);
    expect(back.body.conversation.status).toBe("bot");
    expect((await webHistory(user.sessionId)).at(-1)?.text).toContain("take it from here");
    expect((await userSays("what are the fees for a transfer", user.sessionId)).replies[0]?.text).toMatch(
      /fee/i,
    );
  });

  it("resolves, and the user's next message opens a new conversation", async () => {
    const user = await userSays("转人工");
    await call("POST", `/agent/conversations/${user.conversationId}/claim`, bob);
    const resolved = await call("POST", `/agent/conversations/${user.conversationId}/resolve`, bob);
    expect(resolved.body.conversation.status).toBe("closed");
    const next = await userSays("你好", user.sessionId);
    expect(next.conversationId).not.toBe(user.conversationId);
    expect(next.conversationId.endsWith(".2")).toBe(true);
    const archived = await call("GET", `/agent/conversations/${user.conversationId}`, bob);
    expect(archived.body.conversation.status).toBe("closed");
    expect(archived.body.messages.map((m: Json) => m.from)).toContain("user");
  });

  it("gives a conversation to exactly one of 20 agents claiming at once", async () => {
    const user = await userSays("转人工客服");
    const tokens = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? alice : bob));
    const results = await Promise.all(
      tokens.map((t) => call("POST", `/agent/conversations/${user.conversationId}/claim`, t)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    expect(results.find((r) => r.status === 409)?.body.error.message).toMatch(/already claimed/);
  });

  it("loses none of the user's messages sent while an agent claims", async () => {
    const user = await userSays("我要人工");
    const texts = ["第一条", "第二条", "第三条", "第四条", "第五条"];
    await Promise.all([
      call("POST", `/agent/conversations/${user.conversationId}/claim`, alice),
      ...texts.map((t) => userSays(t, user.sessionId)),
    ]);
    const transcript = (await call("GET", `/agent/conversations/${user.conversationId}`, alice)).body
      .messages;
    const said = transcript.filter((m: Json) => m.from === "user").map((m: Json) => m.text);
    for (const t of texts) expect(said).toContain(t);
  });

  it("delivers a reply to a Telegram user through the Bot API", async () => {
    // Prepare: a Telegram user asks for a person
    const chatId = 777_000_111;
    const id = await telegramUserAsksForHuman(chatId);
    fake.clear();

    // Act
    await call("POST", `/agent/conversations/${id}/claim`, alice);
    await call("POST", `/agent/conversations/${id}/messages`, alice, { text: "您好，我是客服 Alice" });

    // Assess
    expect(fake.of("sendMessage")).toEqual([{ chat_id: chatId, text: "您好，我是客服 Alice" }]);
  });

  it("masks platform ids for agents, not for admins", async () => {
    const user = await userSays("human please");
    const asAgent = (await call("GET", `/agent/conversations/${user.conversationId}`, alice)).body
      .conversation.user;
    const asAdmin = (await call("GET", `/agent/conversations/${user.conversationId}`, admin)).body
      .conversation.user;
    expect(asAdmin).toBe(`web:${user.sessionId}`);
    expect(asAgent).toMatch(/^web:ag•••\d\d$/);
  });

  it("audits every action; only admins may read the log", async () => {
    expect((await call("GET", "/agent/audit", alice)).status).toBe(403);
    const entries = (await call("GET", "/agent/audit", admin)).body.entries as Json[];
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ["claim", "reply", "note", "handback", "resolve"]) expect(actions).toContain(action);
    expect(entries[0]).toMatchObject({ actor: expect.any(String), at: expect.any(String) });
  });

  it("returns an idle conversation to the bot and escalates one waiting past the SLA", async () => {
    // Prepare
    const idle = await userSays("人工客服");
    await call("POST", `/agent/conversations/${idle.conversationId}/claim`, alice);
    const waiting = await userSays("转人工");
    const { service, deliver } = agentRuntime(runtime());
    const { store, brain } = runtime();
    const later = () => new Date(Date.now() + 2 * 3_600_000);

    const options = { idleMinutes: 30, slaMinutes: 10, now: later };

    // Act: the job runs, then runs again as Lambda's retry of an invocation it thinks failed would
    const result = await runHandoffJobs(store, service, brain.knowledge, deliver, options);
    const retried = await runHandoffJobs(store, service, brain.knowledge, deliver, options);

    // Assess
    expect(result.returned).toBeGreaterThanOrEqual(1);
    expect(result.escalated).toBeGreaterThanOrEqual(1);
    expect(
      (await call("GET", `/agent/conversations/${idle.conversationId}`, admin)).body.conversation.status,
    ).toBe("bot");
    expect((await webHistory(idle.sessionId)).at(-1)?.text).toContain("客服暂时没有回复");
    // Each change is written before it is told, so a rerun finds nothing left to do and tells no one twice
    expect(retried).toEqual({ returned: 0, escalated: 0 });
    const notices = (await webHistory(idle.sessionId)).filter((m) => m.text.includes("客服暂时没有回复"));
    expect(notices).toHaveLength(1);
    const audit = (await call("GET", "/agent/audit", admin)).body.entries as Json[];
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: "system",
        action: "escalate",
        conversationId: waiting.conversationId,
      }),
    );
  });
});

describe("the safety layer on agents' replies", () => {
  const phrase =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

  /** A Telegram user whose conversation Alice holds; the fake Bot API records what reaches them. */
  async function heldTelegramConversation(chatId: number) {
    const id = await telegramUserAsksForHuman(chatId);
    await call("POST", `/agent/conversations/${id}/claim`, alice);
    fake.clear();
    return id;
  }
  const transcript = async (id: string) =>
    (await call("GET", `/agent/conversations/${id}`, alice)).body.messages as {
      from: string;
      text: string;
    }[];

  it("refuses a reply naming contacts that are not in the registry, with a 422 naming them; nothing is delivered or stored", async () => {
    // Prepare
    const id = await heldTelegramConversation(777_000_201);
    const before = await transcript(id);

    // Act
    const refused = await call("POST", `/agent/conversations/${id}/messages`, alice, {
      text: "call us at +86 400 123 4567 or visit wallet-example-support.com",
    });

    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe("text");
    expect(refused.body.error.contacts).toEqual(["+86 400 123 4567", "wallet-example-support.com"]);
    expect(refused.body.error.message).toContain('"+86 400 123 4567"');
    expect(refused.body.error.message).toContain('"wallet-example-support.com"');
    expect(fake.of("sendMessage")).toEqual([]);
    expect(await transcript(id)).toEqual(before);
    const audit = (await call("GET", "/agent/audit", admin)).body.entries as Json[];
    expect(audit.find((e) => e.action === "reply_refused" && e.conversationId === id)).toBeDefined();
  });

  it("delivers a reply that gives only registry contacts", async () => {
    const id = await heldTelegramConversation(777_000_202);
    const text = "Please call our hotline +1 202-555-0100 or see https://help.wallet.example.com";
    const sent = await call("POST", `/agent/conversations/${id}/messages`, alice, { text });
    expect(sent.status).toBe(200);
    expect(fake.of("sendMessage")).toEqual([{ chat_id: 777_000_202, text }]);
  });

  it("stores and delivers a recovery phrase redacted, and says so", async () => {
    const id = await heldTelegramConversation(777_000_203);
    const sent = await call("POST", `/agent/conversations/${id}/messages`, alice, {
      text: `Never share your recovery phrase (${phrase}) with anyone.`,
    });
    expect(sent.status).toBe(200);
    expect(sent.body.message.redacted).toEqual(["mnemonic"]);
    const delivered = fake.of("sendMessage") as { text: string }[];
    expect(delivered.map((m) => m.text)).toEqual([
      "Never share your recovery phrase ([REDACTED:mnemonic]) with anyone.",
    ]);
    expect((await transcript(id)).at(-1)?.text).toBe(
      "Never share your recovery phrase ([REDACTED:mnemonic]) with anyone.",
    );
    expect(JSON.stringify(await transcript(id))).not.toContain("abandon");
  });

  it("normalises a reply as on the user path: lone surrogates, control and bidi characters", async () => {
    const id = await heldTelegramConversation(777_000_204);
    // Raw JSON, so that the lone surrogate reaches the server as the escape a hostile client sends.
    const body = '{"text":"hi \\ud800 there\\u0007 \\u202evisit"}';
    const sent = await call("POST", `/agent/conversations/${id}/messages`, alice, body);
    expect(sent.status).toBe(200);
    expect(sent.body.message.text).toBe("hi \uFFFD there visit");
    expect((fake.of("sendMessage")[0] as { text: string }).text).toBe("hi \uFFFD there visit");
  });

  it("gives canned replies rendered (brand and registry contacts filled in), and each one passes the reply check", async () => {
    // Prepare
    const me = (await call("GET", "/agent/me", alice)).body as Json;
    const canned = me.cannedReplies as { id: string; text: Record<string, string> }[];
    const id = await heldTelegramConversation(777_000_206);

    // Assess: no template left; the freeze reply names the registry's fraud line
    expect(canned.length).toBeGreaterThan(0);
    expect(JSON.stringify(canned)).not.toContain("{{");
    expect(canned.find((r) => r.id === "freeze")?.text.en).toContain("+1 202-555-0199");

    // Act + Assess: sent as the console inserts them, in every language
    for (const reply of canned) {
      for (const text of Object.values(reply.text)) {
        const sent = await call("POST", `/agent/conversations/${id}/messages`, alice, { text });
        expect(sent.status, `${reply.id}: ${text}`).toBe(200);
      }
    }
  });

  it("screens internal notes for secrets too, without refusing their contacts", async () => {
    const id = await heldTelegramConversation(777_000_205);
    const note = await call("POST", `/agent/conversations/${id}/notes`, alice, {
      text: `user pasted ${phrase}; scammer's number was +86 400 123 4567`,
    });
    expect(note.status).toBe(200);
    expect(note.body.message.text).toBe(
      "user pasted [REDACTED:mnemonic]; scammer's number was +86 400 123 4567",
    );
    expect(fake.of("sendMessage")).toEqual([]);
  });
});

describe("agent API bad input", () => {
  it.each([
    ["malformed JSON", "{nope", "body"],
    ["empty text", { text: "   " }, "text"],
    ["text over 4000 characters", { text: "x".repeat(4001) }, "text"],
    ["an unknown field", { text: "hi", to: "everyone" }, "to"],
    ["a body over 16 KB", { text: "hi", pad: "x".repeat(20_000) }, "body"],
  ])("refuses %s with 400 naming the field, and stores nothing", async (_case, body, field) => {
    const user = await userSays("我要转人工");
    await call("POST", `/agent/conversations/${user.conversationId}/claim`, alice);
    const before = (await call("GET", `/agent/conversations/${user.conversationId}`, alice)).body.messages
      .length;
    const response = await call("POST", `/agent/conversations/${user.conversationId}/messages`, alice, body);
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe(field);
    expect(
      (await call("GET", `/agent/conversations/${user.conversationId}`, alice)).body.messages.length,
    ).toBe(before);
  });

  it("refuses a malformed id, an unknown conversation, an unknown status, and another agent's conversation", async () => {
    expect((await call("GET", "/agent/conversations/..%2F..%2Fetc", alice)).status).toBe(400);
    expect((await call("GET", "/agent/conversations/AAAAAAAAAAAAAAAAAAAAAA.1", alice)).status).toBe(404);
    expect((await call("GET", "/agent/conversations?status=everything", alice)).status).toBe(400);
    const user = await userSays("转人工");
    await call("POST", `/agent/conversations/${user.conversationId}/claim`, alice);
    const other = await call("POST", `/agent/conversations/${user.conversationId}/messages`, bob, {
      text: "hi",
    });
    expect(other.status).toBe(403);
  });

  it("lets a valid token in from an address that a script is flooding with bad ones", async () => {
    // Prepare: bad tokens from the same address (an office behind one NAT) until it is throttled
    const wrong = `${bob.slice(0, -4)}BBBB`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call("GET", "/agent/me", wrong)).status);

    // Act
    const valid = await call("GET", "/agent/me", bob);

    // Assess
    expect(statuses.at(-1)).toBe(429);
    expect(valid.status).toBe(200);
    expect(valid.body.agent.name).toBe("Bob");
  });

  it("refuses missing, malformed, wrong and revoked tokens with 401, then rate-limits the address", async () => {
    const { agents } = agentRuntime(runtime());
    const revoked = await createAgent(agents, { name: "Gone", role: "agent" });
    await revokeAgent(agents, revoked.id);
    const wrong = `${alice.slice(0, -4)}AAAA`;
    for (const token of [undefined, "not-a-token", wrong, revoked.token]) {
      expect((await call("GET", "/agent/me", token)).status).toBe(401);
    }
    expect((await call("GET", "/agent/me", alice)).body.agent.name).toBe("Alice");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call("GET", "/agent/me", wrong)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // The token's secret part (it may itself contain "_"), never logged.
    const secret = /^gla_[a-z0-9]{12}_(.+)$/.exec(alice)?.[1] ?? "";
    expect(secret.length).toBe(43);
    expect(logs.raw.join("\n")).not.toContain(secret);
  });
});
