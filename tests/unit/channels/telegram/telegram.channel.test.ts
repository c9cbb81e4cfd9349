import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { telegramButtonSigner } from "../../../../src/channels/telegram/telegram.adapter.ts";
import { TelegramApi } from "../../../../src/channels/telegram/telegram.api.ts";
import { TelegramChannel, type TelegramTo } from "../../../../src/channels/telegram/telegram.channel.ts";
import type { TelegramMessage } from "../../../../src/channels/telegram/telegram.schemas.ts";
import type {
  Answer,
  AnswerableEvent,
  ChannelRequest,
  OutboundReply,
} from "../../../../src/channels/types.ts";
import { ChannelApiError, UnauthorizedError } from "../../../../src/errors.ts";
import { configureLog } from "../../../../src/log.ts";
import { FakeTelegram } from "../../../support/fake-telegram.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "telegram");
const TOKEN = "7012345678:AAHfakeTokenForTheChannelTest_xyz";
const SECRET = "webhook-s3cret_token";
const CHAT = 123456789;
const AGENT_CHAT = -1001234567890;
const signer = telegramButtonSigner(SECRET);
const fake = new FakeTelegram();
let api: TelegramApi;
let channel: TelegramChannel;

beforeAll(async () => {
  configureLog({ level: "error" });
  api = new TelegramApi(TOKEN, await fake.start());
  channel = new TelegramChannel({ secret: SECRET }, api);
});
afterAll(() => fake.stop());
beforeEach(() => fake.clear());

// biome-ignore lint/suspicious/noExplicitAny: fixtures are Bot API JSON that the tests edit freely
type Update = Record<string, any>;

function fixture(name: string): Update {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Update;
}

function request(
  body: string | Update,
  headers: Record<string, string | undefined> = { "x-telegram-bot-api-secret-token": SECRET },
): ChannelRequest {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return { method: "POST", headers, query: {}, body: Buffer.from(raw, "utf8") };
}

/** The one answerable event a fixture becomes. */
async function eventOf(update: Update, on = channel): Promise<AnswerableEvent<TelegramTo>> {
  const received = await on.receive(request(update));
  const event = "events" in received ? received.events[0] : undefined;
  if (!event || event.kind === "ignore") throw new Error("expected an answerable event");
  return event;
}

function press(buttonId: string): Update {
  const update = fixture("callback-query");
  update.callback_query.data = signer.sign(CHAT, buttonId);
  return update;
}

const answer = (...replies: OutboundReply[]): Answer => ({
  replies,
  language: "zh-Hans",
  say: (key) => key,
  turn: { conversationId: "c.1", status: "bot" },
});

describe("TelegramChannel.receive", () => {
  it("refuses a wrong or missing secret before it reads the body", async () => {
    const notJson = "this is not JSON {";
    for (const headers of [
      { "x-telegram-bot-api-secret-token": "wrong" },
      { "x-telegram-bot-api-secret-token": `${SECRET}x` },
      { "x-telegram-bot-api-secret-token": undefined },
      {},
    ])
      await expect(channel.receive(request(notJson, headers))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("reads the secret header in either casing", async () => {
    const received = await channel.receive(
      request(fixture("text-message-zh-hans"), { "X-Telegram-Bot-Api-Secret-Token": SECRET }),
    );
    expect(received).toMatchObject({ events: [{ kind: "inbound" }] });
  });

  it("answers 200 and drops malformed JSON, a non-Update and an oversized body", async () => {
    const padded = `${JSON.stringify(fixture("text-message-zh-hans")).slice(0, -1)}${" ".repeat(1024 * 1024)}}`;
    for (const body of [
      '{"update_id": 1, "message": ',
      JSON.stringify(fixture("invalid-update-id-string")),
      JSON.stringify(fixture("invalid-array")),
      padded,
    ])
      expect(await channel.receive(request(body))).toStrictEqual({ response: { statusCode: 200, body: "" } });
    expect(fake.calls).toEqual([]);
  });

  it("addresses a private message to its chat, without a callback", async () => {
    const received = await channel.receive(request(fixture("text-message-zh-hans")));
    expect(received).toStrictEqual({
      events: [
        {
          kind: "inbound",
          to: { chatId: CHAT },
          message: {
            channel: "telegram",
            userKey: `telegram:${CHAT}`,
            eventId: "tg:700000001",
            content: { type: "text", text: "忘记登录密码了怎么办", localeHint: "zh-Hans" },
          },
        },
      ],
    });
  });

  it("addresses a button press to its chat with the callback to acknowledge", async () => {
    expect(await eventOf(press("t:password_reset"))).toMatchObject({
      kind: "inbound",
      to: { chatId: CHAT, callbackId: "1954213489571280391" },
      message: { content: { type: "button", buttonId: "t:password_reset" } },
    });
    expect(await eventOf(fixture("callback-query"))).toMatchObject({
      kind: "notice",
      notice: "expiredButton",
      to: { chatId: CHAT, callbackId: "1954213489571280391" },
    });
  });

  it("hands the agents' group's messages to the agentGroup callback, and no event to the bot", async () => {
    // Prepare
    const handled: TelegramMessage[] = [];
    let loads = 0;
    const withGroup = new TelegramChannel(
      {
        secret: SECRET,
        agentChatId: AGENT_CHAT,
        agentGroup: async () => {
          loads++;
          return { handle: async (message) => void handled.push(message) };
        },
      },
      api,
    );

    // Act
    const fromGroup = await withGroup.receive(request(fixture("group-message")));
    const fromUser = await withGroup.receive(request(fixture("text-message-zh-hans")));

    // Assess
    expect(fromGroup).toStrictEqual({ events: [] });
    expect(handled.map((m) => [m.chat.id, m.message_id])).toEqual([[AGENT_CHAT, 48213]]);
    expect(fromUser).toMatchObject({ events: [{ kind: "inbound", to: { chatId: CHAT } }] });
    expect(loads).toBe(1);
  });

  it("answers 200 when an agent's action fails for good, and fails the request when it may succeed later", async () => {
    // Prepare: the group's handler fails as delivery to a user who blocked the bot (403) or to a
    // Telegram that is down (503)
    let failure: Error = new ChannelApiError("telegram", "sendMessage", 403, "blocked");
    const failing = new TelegramChannel(
      {
        secret: SECRET,
        agentChatId: AGENT_CHAT,
        agentGroup: async () => ({
          handle: async () => {
            throw failure;
          },
        }),
      },
      api,
    );

    // Act
    const permanent = await failing.receive(request(fixture("group-message")));
    failure = new ChannelApiError("telegram", "sendMessage", 503, "unavailable");
    const transient = failing.receive(request(fixture("group-message")));

    // Assess: no redelivery (which would run the agent's action again) unless it can help
    expect(permanent).toStrictEqual({ events: [] });
    await expect(transient).rejects.toThrow("unavailable");
  });

  it("ignores another group's message, and tolerates an agents' group that is not wired", async () => {
    const otherGroup = fixture("group-message");
    otherGroup.message.chat.id = -1009999999999;
    const unwired = new TelegramChannel(
      { secret: SECRET, agentChatId: AGENT_CHAT, agentGroup: async () => undefined },
      api,
    );
    expect(await unwired.receive(request(otherGroup))).toStrictEqual({
      events: [{ kind: "ignore", reason: "not a private chat" }],
    });
    expect(await unwired.receive(request(fixture("group-message")))).toStrictEqual({ events: [] });
    expect(await channel.receive(request(fixture("group-message")))).toMatchObject({
      events: [{ kind: "ignore" }],
    });
  });
});

describe("TelegramChannel.exchange", () => {
  it("puts a one-message answer in the webhook response and makes no outbound call", async () => {
    // Prepare
    const event = await eventOf(fixture("text-message-zh-hans"));
    const exchange = channel.exchange();

    // Act
    await exchange.reply(event, async () =>
      answer({ text: "请按以下步骤重设密码", buttons: [{ id: "human", label: "人工客服" }] }),
    );
    const response = exchange.finish();

    // Assess
    expect(fake.calls).toEqual([]);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ "content-type": "application/json" });
    const body = JSON.parse(response.body);
    expect(body).toStrictEqual({
      method: "sendMessage",
      chat_id: CHAT,
      text: "请按以下步骤重设密码",
      reply_markup: { inline_keyboard: [[{ text: "人工客服", callback_data: signer.sign(CHAT, "human") }]] },
    });
    expect(signer.verify(CHAT, body.reply_markup.inline_keyboard[0][0].callback_data)).toBe("human");
  });

  it("sends all but the last message first, in order, and the last in the response", async () => {
    // Prepare
    const event = await eventOf(fixture("text-message-zh-hans"));
    const exchange = channel.exchange();

    // Act
    await exchange.reply(event, async () => answer({ text: "第一条" }, { text: "第二条" }));
    const twoReplies = exchange.finish();
    const long = channel.exchange();
    await long.reply(event, async () => answer({ text: `${"甲".repeat(4096)}${"乙".repeat(10)}` }));
    const longReply = long.finish();

    // Assess
    expect(fake.of("sendMessage").map((b) => [b.chat_id, b.text])).toEqual([
      [CHAT, "第一条"],
      [CHAT, "甲".repeat(4096)],
    ]);
    expect(JSON.parse(twoReplies.body)).toStrictEqual({
      method: "sendMessage",
      chat_id: CHAT,
      text: "第二条",
    });
    expect(JSON.parse(longReply.body)).toMatchObject({ chat_id: CHAT, text: "乙".repeat(10) });
    expect(fake.calls.every((c) => c.token === TOKEN)).toBe(true);
  });

  it("sends the held last message before a later event's messages, keeping the order", async () => {
    // Prepare
    const event = await eventOf(fixture("text-message-zh-hans"));
    const exchange = channel.exchange();

    // Act
    await exchange.reply(event, async () => answer({ text: "一" }));
    await exchange.reply(event, async () => answer({ text: "二" }, { text: "三" }));

    // Assess
    expect(fake.of("sendMessage").map((b) => b.text)).toEqual(["一", "二"]);
    expect(JSON.parse(exchange.finish().body)).toMatchObject({ text: "三" });
  });

  it("acknowledges a button press before any message", async () => {
    // Prepare
    const event = await eventOf(press("t:password_reset"));
    const exchange = channel.exchange();

    // Act
    await exchange.reply(event, async () => answer({ text: "第一条" }, { text: "第二条" }));
    const response = exchange.finish();

    // Assess
    expect(fake.calls.map((c) => c.method)).toEqual(["answerCallbackQuery", "sendMessage"]);
    expect(fake.of("answerCallbackQuery")[0]).toMatchObject({ callback_query_id: "1954213489571280391" });
    expect(JSON.parse(response.body)).toMatchObject({ chat_id: CHAT, text: "第二条" });
  });

  it("acknowledges a button press whose answer rides in the response", async () => {
    const exchange = channel.exchange();
    await exchange.reply(await eventOf(fixture("callback-query")), async () =>
      answer({ text: "按钮已过期" }),
    );
    expect(fake.calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(JSON.parse(exchange.finish().body)).toMatchObject({ method: "sendMessage", text: "按钮已过期" });
  });

  it("sends nothing, not even an acknowledgement, when the answer resolves to undefined", async () => {
    const exchange = channel.exchange();
    await exchange.reply(await eventOf(press("human")), async () => undefined);
    expect(exchange.finish()).toStrictEqual({ statusCode: 200, body: "" });
    expect(fake.calls).toEqual([]);
  });
});

describe("TelegramChannel.deliver", () => {
  it("sends an agent's reply to the user's chat, split within 4,096 characters", async () => {
    const to = {
      conversationId: "c.1",
      userKey: `telegram:${CHAT}`,
      language: "zh-Hans" as const,
      updatedAt: "",
    };
    await channel.deliver(to, "x".repeat(5000));
    expect(fake.of("sendMessage").map((b) => [b.chat_id, (b.text as string).length])).toEqual([
      [CHAT, 4096],
      [CHAT, 904],
    ]);
  });
});
