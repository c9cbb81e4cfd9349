import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { MetaChannel } from "../../src/channels/meta/meta.channel.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { serveChannel } from "../../src/handoff/turn.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { conversationIdFor } from "../../src/store/records.ts";
import { FakeMeta } from "../support/fake-meta.ts";
import {
  messengerNotification,
  metaSignature,
  PAGE_ID,
  PHONE_NUMBER_ID,
  whatsappNotification,
} from "../support/meta-notifications.ts";

const TABLE = "guardline-meta";
const APP_SECRET = "meta-app-secret-for-tests";
const VERIFY_TOKEN = "verify-me-please";
const fake = new FakeMeta();
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;
let agentToken: string;

beforeAll(async () => {
  configureLog({ level: "error" });
  Object.assign(process.env, {
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: VERIFY_TOKEN,
    META_ACCESS_TOKEN: "EAAG-fake-access-token",
    META_API_ROOT: await fake.start(),
  });
  server = await startLocalServer({ tableName: TABLE });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
  agentToken = (await createAgent(agentRuntime(runtime()).agents, { name: "Mei", role: "agent" })).token;
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await fake.stop();
  for (const name of ["META_APP_SECRET", "META_VERIFY_TOKEN", "META_ACCESS_TOKEN", "META_API_ROOT"])
    delete process.env[name];
});

beforeEach(() => fake.clear());

// biome-ignore lint/suspicious/noExplicitAny: notification JSON the tests build and read freely
type Json = Record<string, any>;
let next = 1;
const freshNumber = (prefix = "86138") => `${prefix}${String(10_000_000 + next++).slice(-8)}`;
const freshPsid = () => String(6_500_000_000_000_000 + next++);

/** A WhatsApp Cloud API notification carrying the given messages from one user. */
const whatsapp = (from: string, ...messages: Json[]): Json =>
  whatsappNotification(
    from,
    messages.map((m) => ({ id: `wamid.HBgN${next++}`, ...m })),
  );
const text = (body: string): Json => ({ type: "text", text: { body } });

/** A Messenger notification carrying the given messaging items from one user. */
const messenger = (psid: string, ...items: Json[]): Json => messengerNotification(psid, items);

async function post(body: Json | string, options: { secret?: string; signature?: string | null } = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signature = metaSignature(raw, options.secret ?? APP_SECRET);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.signature !== null) headers["x-hub-signature-256"] = options.signature ?? signature;
  const response = await fetch(new URL("webhooks/meta", server.url), { method: "POST", headers, body: raw });
  return { status: response.status, text: await response.text() };
}

async function stored(userKey: string) {
  const id = conversationIdFor(userKey, 1);
  const result = await client.send(new ScanCommand({ TableName: TABLE }));
  return (result.Items ?? []).filter((i) => i.conversationId === id);
}

/** The button id inside signed button data (`<id>~<mac>`). */
const buttonIdOf = (data: string) => data.slice(0, data.lastIndexOf("~"));
const waKey = (waId: string) => `meta:wa:${PHONE_NUMBER_ID}:${waId}`;
const fbKey = (psid: string) => `meta:fb:${PAGE_ID}:${psid}`;

describe("Meta webhook verification (GET)", () => {
  const verify = (query: Record<string, string>) =>
    fetch(new URL(`webhooks/meta?${new URLSearchParams(query)}`, server.url));

  it("answers the challenge when the verify token is ours", async () => {
    const response = await verify({
      "hub.mode": "subscribe",
      "hub.verify_token": VERIFY_TOKEN,
      "hub.challenge": "1158201444",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("1158201444");
  });

  it("refuses another token, another mode, or a challenge that is not a plain token", async () => {
    const base = { "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42" };
    expect((await verify({ ...base, "hub.verify_token": "guess" })).status).toBe(403);
    expect((await verify({ ...base, "hub.mode": "unsubscribe" })).status).toBe(403);
    expect((await verify({ "hub.challenge": "42" })).status).toBe(403);
    expect((await verify({ ...base, "hub.challenge": "<script>alert(1)</script>" })).status).toBe(400);
  });
});

describe("WhatsApp", () => {
  it("answers a text message from the number it was sent to, with the answer's buttons", async () => {
    const from = freshNumber();
    const { status } = await post(whatsapp(from, text("我充值了200块还没到账")));
    expect(status).toBe(200);
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(call?.authorization).toBe("Bearer EAAG-fake-access-token");
    expect(call?.body).toMatchObject({ messaging_product: "whatsapp", to: from, type: "interactive" });
    expect(call?.body.interactive.body.text).toContain("充值");
    expect(call?.body.interactive.action.buttons.length).toBeGreaterThan(0);
    expect((await stored(waKey(from))).filter((i) => i.from === "user")).toHaveLength(1);
  });

  it("takes a press of its own button, and reads a forged one as expired", async () => {
    // Prepare: an answer in Traditional Chinese (a Hong Kong number) with "did this help?" buttons
    const from = freshNumber("852");
    await post(whatsapp(from, text("點樣重設密碼")));
    const first = fake.calls[0]?.body.interactive;
    const ids: string[] = (first.action.buttons ?? first.action.sections[0].rows).map(
      (b: Json) => b.reply?.id ?? b.id,
    );
    const yes = ids.find((id) => id.startsWith("fb:y:"));
    fake.clear();
    const press = (id: string | undefined) =>
      whatsapp(from, {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id, title: "x" } },
      });

    // Act
    await post(press(yes));
    await post(press(yes?.replace(/~.*/, "~AAAAAAAAAAAA")));

    // Assess
    expect(first.body.text).toContain("密碼");
    expect(fake.calls.map((c) => c.body.text?.body ?? c.body.interactive?.body.text)).toEqual([
      "太好了！還有其他問題隨時問我。",
      "這個按鈕已失效，請重新傳送你的問題。",
    ]);
    expect((await stored(waKey(from))).filter((i) => i.from === "user")).toHaveLength(2);
  });

  it("says it reads text only for media, in the script the number suggests", async () => {
    const from = freshNumber("886");
    await post(whatsapp(from, { type: "image", image: { id: "1479537139650973", mime_type: "image/jpeg" } }));
    expect(fake.calls[0]?.body.text.body).toContain("文字訊息");
    expect(await stored(waKey(from))).toEqual([]);
  });

  it("ignores delivery statuses and reactions", async () => {
    const from = freshNumber();
    const statuses = whatsapp(from);
    statuses.entry[0].changes[0].value = {
      messaging_product: "whatsapp",
      metadata: { phone_number_id: PHONE_NUMBER_ID },
      statuses: [{ id: "wamid.X", status: "delivered", timestamp: "1", recipient_id: from }],
    };
    expect((await post(statuses)).status).toBe(200);
    expect(
      (await post(whatsapp(from, { type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } })))
        .status,
    ).toBe(200);
    expect(fake.calls).toEqual([]);
  });

  it("answers a message delivered twice at once only once", async () => {
    const from = freshNumber();
    const notification = whatsapp(from, text("how do I withdraw to my bank card"));
    const results = await Promise.all([post(notification), post(notification)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.calls).toHaveLength(1);
    expect((await stored(waKey(from))).filter((i) => i.from === "user")).toHaveLength(1);
  });

  it("fails the delivery when the Graph API is down, and answers Meta's later redelivery from the stored turn", async () => {
    // Prepare: a channel whose replay window has passed, as for a redelivery minutes later
    const later = new MetaChannel({
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      accessToken: "EAAG-fake-access-token",
      apiRoot: process.env.META_API_ROOT ?? "",
      replayAfterMs: 0,
    });
    const from = freshNumber();
    const raw = JSON.stringify(whatsapp(from, text("what are the transfer fees")));
    const headers = {
      "x-hub-signature-256": metaSignature(raw, APP_SECRET),
    };
    fake.failNext = { status: 503, times: 1 };

    // Act
    const first = await post(raw);
    const redelivered = await serveChannel(later, runtime().bot, {
      method: "POST",
      headers,
      query: {},
      body: Buffer.from(raw),
    });

    // Assess
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(redelivered.statusCode).toBe(200);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]?.body).toEqual(fake.calls[0]?.body);
    expect((await stored(waKey(from))).filter((i) => i.from === "user")).toHaveLength(1);
  });

  it("asks for a redelivery when Meta throttles, even though it answers with a 4xx", async () => {
    const from = freshNumber();
    fake.failNext = { status: 400, times: 1, code: 130429 };
    const { status } = await post(whatsapp(from, text("what is the daily transfer limit")));
    expect(status).toBeGreaterThanOrEqual(500);
  });

  it("redacts a pasted recovery phrase before storing and warns the user", async () => {
    const from = freshNumber("1202");
    const phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident";
    await post(whatsapp(from, text(`is this safe? ${phrase}`)));
    const sent = JSON.stringify(fake.calls.map((c) => c.body));
    expect(sent).not.toContain("absorb abstract");
    const items = JSON.stringify(await stored(waKey(from)));
    expect(items).not.toContain("absorb abstract");
    expect(items.length).toBeGreaterThan(2);
  });
});

describe("Messenger", () => {
  it("answers text from the page, as a response with quick replies", async () => {
    const psid = freshPsid();
    await post(messenger(psid, { message: { mid: `m_${next++}`, text: "hi" } }));
    expect(fake.calls.length).toBeGreaterThan(0);
    const last = fake.calls.at(-1);
    expect(last?.path).toBe(`/v21.0/${PAGE_ID}/messages`);
    expect(last?.body).toMatchObject({ recipient: { id: psid }, messaging_type: "RESPONSE" });
    expect(last?.body.message.quick_replies.length).toBeGreaterThan(0);
    for (const q of last?.body.message.quick_replies ?? [])
      expect([...q.title].length).toBeLessThanOrEqual(20);
  });

  it("opens the menu for Get Started, takes its quick replies, and ignores echoes, reads and deliveries", async () => {
    const psid = freshPsid();
    await post(messenger(psid, { postback: { title: "Get Started", payload: "GET_STARTED" } }));
    const payload = fake.calls.at(-1)?.body.message.quick_replies[0].payload as string;
    fake.clear();
    await post(
      messenger(
        psid,
        { message: { mid: `m_${next++}`, text: "ok", quick_reply: { payload } } },
        { message: { mid: `m_${next++}`, text: "echo", is_echo: true } },
        { read: { watermark: 1 } },
        { delivery: { mids: ["m_1"], watermark: 1 } },
      ),
    );
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.every((c) => c.body.recipient.id === psid)).toBe(true);
    expect((await stored(fbKey(psid))).filter((i) => i.from === "user")).toHaveLength(2);
  });
});

describe("/forget on WhatsApp and Messenger", () => {
  it("asks first, and deletes the stored conversation only when the user confirms", async () => {
    // Prepare: a WhatsApp conversation with something stored
    const from = freshNumber();
    await post(whatsapp(from, text("我的提现还没到账")));
    expect((await stored(waKey(from))).length).toBeGreaterThan(0);
    fake.clear();

    // Act: ask to forget, then press "yes"
    await post(whatsapp(from, text(" /Forget ")));
    const question = fake.calls[0]?.body.interactive;
    const yes = question.action.buttons[0].reply.id as string;
    await post(
      whatsapp(from, {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: yes, title: "x" } },
      }),
    );

    // Assess
    expect(question.body.text).toContain("删除");
    expect(buttonIdOf(yes)).toBe("forget:yes");
    expect(fake.calls[1]?.body.text.body).toBe("已删除你的聊天记录。需要帮忙时随时再发消息给我。");
    expect(await stored(waKey(from))).toEqual([]);
  });

  it("keeps everything when the user cancels (Messenger)", async () => {
    const psid = freshPsid();
    await post(messenger(psid, { message: { mid: `m_${next++}`, text: "hello" } }));
    const before = (await stored(fbKey(psid))).length;
    fake.clear();
    await post(messenger(psid, { message: { mid: `m_${next++}`, text: "/forget" } }));
    const no = fake.calls[0]?.body.message.quick_replies[1].payload as string;
    await post(
      messenger(psid, { message: { mid: `m_${next++}`, text: "No", quick_reply: { payload: no } } }),
    );
    expect((await stored(fbKey(psid))).length).toBe(before);
    expect(fake.calls).toHaveLength(2);
  });
});

describe("bad input to POST /webhooks/meta", () => {
  it("refuses a missing or wrong signature before reading the body, and stores nothing", async () => {
    const psid = freshPsid();
    const body = messenger(psid, { message: { mid: `m_${next++}`, text: "hello" } });
    expect((await post(body, { signature: null })).status).toBe(401);
    expect((await post(body, { secret: "another-app" })).status).toBe(401);
    expect((await post(body, { signature: "sha256=zz" })).status).toBe(401);
    expect(fake.calls).toEqual([]);
    expect(await stored(fbKey(psid))).toEqual([]);
  });

  it("checks the signature before parsing: an unsigned malformed body is 401, not 400", async () => {
    expect((await post("{not json", { signature: null })).status).toBe(401);
  });

  it("answers 400 to signed malformed JSON, a body that is no notification or one of the wrong shape, 200 to objects it does not serve", async () => {
    expect((await post("{not json")).status).toBe(400);
    const notANotification = await post({ hello: "world" });
    expect(notANotification.status).toBe(400);
    expect(JSON.parse(notANotification.text).error.field).toBe("object");
    expect((await post([1, 2])).status).toBe(400);
    expect((await post({ object: "page", entry: "nope" })).status).toBe(400);
    expect((await post({ object: "instagram", entry: [] })).status).toBe(200);
    expect(fake.calls).toEqual([]);
  });

  it("refuses an oversized body", async () => {
    const huge = JSON.stringify({ object: "page", entry: [], pad: "x".repeat(1024 * 1024) });
    expect((await post(huge)).status).toBe(400);
  });

  it("treats hostile strings as text: never echoed, never executed", async () => {
    const from = freshNumber("1202");
    const hostile = `<script>alert(1)</script>\u0000\u202e ${"💣".repeat(500)} call +1 202 555 0999 ' OR 1=1 --`;
    const { status } = await post(whatsapp(from, text(hostile)));
    expect(status).toBe(200);
    const sent = JSON.stringify(fake.calls.map((c) => c.body));
    expect(sent).not.toContain("<script>");
    expect(sent).not.toContain("555 0999");
  });
});

describe("agent replies on WhatsApp and Messenger", () => {
  const act = (userKey: string, path: string, body?: unknown) =>
    fetch(new URL(`agent/conversations/${conversationIdFor(userKey, 1)}/${path}`, server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it("delivers on WhatsApp as text and on Messenger under the HUMAN_AGENT tag", async () => {
    const from = freshNumber();
    const psid = freshPsid();
    await post(whatsapp(from, text("我要转人工")));
    await post(messenger(psid, { message: { mid: `m_${next++}`, text: "I want to talk to a real person" } }));
    fake.clear();

    await act(waKey(from), "claim");
    const onWhatsapp = await act(waKey(from), "messages", { text: "你好，我是客服小美" });
    await act(fbKey(psid), "claim");
    const onMessenger = await act(fbKey(psid), "messages", { text: "Hi, Mei here" });

    const read = async (userKey: string) =>
      (
        (await (
          await fetch(new URL(`agent/conversations/${conversationIdFor(userKey, 1)}`, server.url), {
            headers: { authorization: `Bearer ${agentToken}` },
          })
        ).json()) as Json
      ).conversation;
    const [waSummary, fbSummary] = [await read(waKey(from)), await read(fbKey(psid))];
    const hoursLeft = (c: Json) => (Date.parse(c.replyUntil) - Date.now()) / 3_600_000;

    expect(waSummary).toMatchObject({ channel: "meta", platform: "whatsapp" });
    expect(hoursLeft(waSummary)).toBeGreaterThan(23);
    expect(hoursLeft(waSummary)).toBeLessThanOrEqual(24);
    expect(fbSummary).toMatchObject({ channel: "meta", platform: "messenger" });
    expect(hoursLeft(fbSummary)).toBeGreaterThan(7 * 24 - 1);
    expect(onWhatsapp.status).toBe(200);
    expect(onMessenger.status).toBe(200);
    expect(fake.calls.map((c) => c.body)).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: from,
        type: "text",
        text: { body: "你好，我是客服小美", preview_url: false },
      },
      {
        recipient: { id: psid },
        messaging_type: "MESSAGE_TAG",
        tag: "HUMAN_AGENT",
        message: { text: "Hi, Mei here" },
      },
    ]);
  });

  it("refuses a WhatsApp reply more than 24 hours after the user last wrote, before calling Meta", async () => {
    // Prepare: the user asked for a person 25 hours ago
    const from = freshNumber();
    await post(whatsapp(from, text("human please")));
    await act(waKey(from), "claim");
    const head = (await client.send(new ScanCommand({ TableName: TABLE }))).Items?.find(
      (i) => i.userKey === waKey(from),
    );
    const dayAgo = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await client.send(new PutCommand({ TableName: TABLE, Item: { ...head, userWroteAt: dayAgo } }));
    fake.clear();

    // Act
    const refused = await act(waKey(from), "messages", { text: "Sorry for the wait" });

    // Assess
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toContain("24 hours");
    expect(fake.calls).toEqual([]);
  });

  it("tells the agent when Meta itself says the window has closed, and sends system notices without the agent tag", async () => {
    const psid = freshPsid();
    await post(messenger(psid, { message: { mid: `m_${next++}`, text: "I want to talk to a real person" } }));
    await act(fbKey(psid), "claim");
    fake.closedWindow.add(psid);
    const refused = await act(fbKey(psid), "messages", { text: "Still there?" });
    fake.closedWindow.delete(psid);
    fake.clear();
    await act(fbKey(psid), "handback");
    const notice = fake.calls[0]?.body;

    expect(notice).toMatchObject({ recipient: { id: psid }, messaging_type: "RESPONSE" });
    expect(notice?.tag).toBeUndefined();
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toContain("Messenger");
  });
});

describe("health", () => {
  it("reports the channel as enabled", async () => {
    const health = (await (await fetch(new URL("healthz", server.url))).json()) as Json;
    expect(health.channels.meta).toBe(true);
  });
});
