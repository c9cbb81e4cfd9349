import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { telegramButtonSigner } from "../../src/channels/telegram/telegram.adapter.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { conversationIdFor } from "../../src/store/records.ts";
import { FakeTelegram } from "../support/fake-telegram.ts";
import { type CapturedLogs, captureLogs } from "../support/log-capture.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "telegram");
const TOKEN = "7012345678:AAHfakeTokenForTestsOnly_abcdefghijk";
const SECRET = "test-secret_token-0123456789";
const TABLE = "guardline-telegram";

const fake = new FakeTelegram();
const signer = telegramButtonSigner(SECRET);
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;
let logs: CapturedLogs;

beforeAll(async () => {
  logs = captureLogs();
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_SECRET_TOKEN: SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
  });
  server = await startLocalServer({ tableName: TABLE });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
}, 30_000);

afterAll(async () => {
  logs.stop();
  client?.destroy();
  await server?.close();
  await fake.stop();
  for (const name of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_ROOT"])
    delete process.env[name];
});

beforeEach(() => fake.clear());

// biome-ignore lint/suspicious/noExplicitAny: fixtures are Bot API JSON that the tests edit freely
type Update = Record<string, any>;
let nextChat = 5_000_000;
let nextUpdate = 900_000_000;

/** A fixture moved into a fresh private chat with a fresh update_id, so tests never share a conversation. */
function fixture(name: string, chatId = ++nextChat): Update {
  const update = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Update;
  update.update_id = ++nextUpdate;
  for (const m of [update.message, update.edited_message, update.callback_query?.message]) {
    if (m?.chat?.type === "private") m.chat.id = chatId;
    if (m?.from && !m.from.is_bot) m.from.id = chatId;
  }
  if (update.callback_query) update.callback_query.from.id = chatId;
  return update;
}

function text(value: string, chatId = ++nextChat, languageCode = "zh-hans"): Update {
  const update = fixture("text-message-zh-hans", chatId);
  update.message.text = value;
  update.message.from.language_code = languageCode;
  return update;
}

function press(buttonId: string, chatId: number, data = signer.sign(chatId, buttonId)): Update {
  const update = fixture("callback-query", chatId);
  update.callback_query.data = data;
  return update;
}

async function post(body: unknown, secret: string | null = SECRET) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(new URL("webhooks/telegram", server.url), {
    method: "POST",
    headers,
    body: payload,
  });
  const raw = await response.text();
  return { status: response.status, raw, reply: raw ? (JSON.parse(raw) as Update) : undefined };
}

async function stored(chatId: number): Promise<Record<string, unknown>[]> {
  const id = conversationIdFor(`telegram:${chatId}`, 1);
  const result = await client.send(new ScanCommand({ TableName: TABLE }));
  return (result.Items ?? []).filter((i) => i.conversationId === id);
}

describe("Telegram webhook", () => {
  it.each([
    ["text-message-zh-hans", "密码", "fb:y:password_reset"],
    ["text-message-zh-hant", "儲值", "fb:y:topup_missing"],
    ["text-message-en", "withdraw", "fb:y:withdraw_howto"],
  ])(
    "answers %s in the webhook response, with signed buttons and no outbound call",
    async (name, words, button) => {
      // Prepare
      const update = fixture(name);
      const chatId = update.message.chat.id;

      // Act
      const { status, reply } = await post(update);

      // Assess
      expect(status).toBe(200);
      expect(reply).toMatchObject({ method: "sendMessage", chat_id: chatId });
      expect(reply?.text).toContain("1.");
      expect(reply?.text.toLowerCase()).toContain(words);
      const keyboard = reply?.reply_markup.inline_keyboard.flat() as { callback_data: string }[];
      expect(keyboard.map((k) => signer.verify(chatId, k.callback_data))).toContain(button);
      for (const key of keyboard) expect(Buffer.byteLength(key.callback_data)).toBeLessThanOrEqual(64);
      expect(fake.calls).toEqual([]);
      expect((await stored(chatId)).filter((i) => i.from === "user")).toHaveLength(1);
    },
  );

  it("follows a pressed button: answers the callback query and sends the follow-up", async () => {
    // Prepare
    const chatId = ++nextChat;
    await post(text("忘记登录密码了怎么办", chatId));

    // Act
    const { reply } = await post(press("fb:y:password_reset", chatId));

    // Assess
    expect(fake.of("answerCallbackQuery")).toEqual([{ callback_query_id: "1954213489571280391" }]);
    expect(reply).toMatchObject({ method: "sendMessage", chat_id: chatId });
    expect(reply?.text).toMatch(/太好了|谢谢/);
  });

  it("refuses a button it did not sign for this chat, and stores nothing", async () => {
    const chatId = ++nextChat;
    for (const data of ["t:password_reset", signer.sign(chatId + 1, "t:password_reset")]) {
      const { status, reply } = await post(press("unused", chatId, data));
      expect(status).toBe(200);
      expect(reply?.text).toContain("按钮已失效");
    }
    expect(fake.of("answerCallbackQuery")).toHaveLength(2);
    expect(await stored(chatId)).toEqual([]);
  });

  it.each([
    ["command-start", /常见问题/, "buttons"],
    ["command-start-deeplink", /官方/, "feedback"],
    ["command-help", /常见问题/, "buttons"],
    ["command-with-botname", /常见问题|pick a topic/, "buttons"],
    ["command-contact", /客服/, "feedback"],
    ["command-verify", /不在官方联系方式名单里/, "feedback"],
  ])("handles %s", async (name, words) => {
    const { reply } = await post(fixture(name));
    expect(reply?.text).toMatch(words);
    expect(reply?.reply_markup.inline_keyboard.length).toBeGreaterThan(0);
  });

  it("hands off on /human and keeps the conversation waiting", async () => {
    const update = fixture("command-human");
    await post(update);
    const head = (await stored(update.message.chat.id)).find((i) => i.sk === "CONV");
    expect(head).toMatchObject({ status: "waiting", priority: "normal", channel: "telegram" });
  });

  it("forgets a conversation after confirmation", async () => {
    // Prepare
    const chatId = ++nextChat;
    await post(text("忘记登录密码了怎么办", chatId));
    expect((await stored(chatId)).length).toBeGreaterThan(0);

    // Act
    const asked = await post(fixture("command-forget", chatId));
    const confirmButton = asked.reply?.reply_markup.inline_keyboard.flat()[0].callback_data as string;
    const done = await post(press("unused", chatId, confirmButton));

    // Assess
    expect(asked.reply?.text).toContain("删除");
    expect(done.reply?.text).toContain("已删除");
    expect(await stored(chatId)).toEqual([]);
  });

  it.each(["edited-message", "group-message", "channel-post", "my-chat-member", "message-from-bot"])(
    "ignores %s: 200, no answer, nothing stored",
    async (name) => {
      const update = fixture(name);
      const { status, raw } = await post(update);
      expect(status).toBe(200);
      expect(raw).toBe("");
      expect(fake.calls).toEqual([]);
      const chatId = (update.message ?? update.edited_message)?.chat?.id;
      if (chatId !== undefined) expect(await stored(chatId)).toEqual([]);
    },
  );

  it.each(["photo", "sticker", "voice"])("says it reads text only for a %s", async (name) => {
    const { reply } = await post(fixture(name));
    expect(reply?.text).toMatch(/只能[读讀]文字|only read text/);
  });

  it("accepts an update with fields it does not know", async () => {
    const { reply } = await post(fixture("long-unknown-fields"));
    expect(reply?.method).toBe("sendMessage");
  });

  it("takes the language from the text first, then from the user's Telegram language", async () => {
    expect((await post(text("你好", ++nextChat, "zh-hant"))).reply?.text).toContain("常見問題");
    expect((await post(text("how do fees work", ++nextChat, "zh-hant"))).reply?.text).toMatch(/fee/i);
  });

  it("stores and answers the same update delivered five times at once only once", async () => {
    // Prepare
    const update = text("提现多久到账");

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => post(update)));

    // Assess
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((r) => r.reply?.method === "sendMessage")).toHaveLength(1);
    expect((await stored(update.message.chat.id)).filter((i) => i.from === "user")).toHaveLength(1);
  });

  it("waits out a short 429 from Telegram once", async () => {
    const chatId = ++nextChat;
    await post(text("忘记登录密码了怎么办", chatId));
    fake.failNext("answerCallbackQuery", 429, 1, 1);
    const { status, reply } = await post(press("fb:y:password_reset", chatId));
    expect(status).toBe(200);
    expect(fake.of("answerCallbackQuery")).toHaveLength(2);
    expect(reply?.method).toBe("sendMessage");
  });
});

describe("cli telegram:set-webhook", () => {
  it("registers the webhook with the secret token and the updates it handles, and prints the answer", async () => {
    const { stdout } = await promisify(execFile)(
      join(import.meta.dirname, "..", "..", "node_modules", ".bin", "tsx"),
      [
        "src/cli/main.ts",
        "telegram:set-webhook",
        "--url",
        "https://bot.example.com/webhooks/telegram",
        "--drop-pending-updates",
      ],
      { cwd: join(import.meta.dirname, "..", ".."), env: { ...process.env } },
    );
    expect(fake.of("setWebhook")).toEqual([
      {
        url: "https://bot.example.com/webhooks/telegram",
        secret_token: SECRET,
        allowed_updates: ["message", "edited_message", "callback_query"],
        drop_pending_updates: true,
      },
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, webhook: { pending_update_count: 0 } });
  });
});

describe("Telegram webhook bad input", () => {
  it.each([
    ["no secret", null],
    ["a wrong secret", "wrong-secret"],
    ["a secret of another length", `${SECRET}x`],
  ])("refuses %s with 401 and stores nothing", async (_case, secret) => {
    const update = fixture("text-message-zh-hans");
    const { status } = await post(update, secret);
    expect(status).toBe(401);
    expect(await stored(update.message.chat.id)).toEqual([]);
    expect(fake.calls).toEqual([]);
  });

  it.each([
    ["malformed JSON", "{not json"],
    ["a body over 1 MB", JSON.stringify({ update_id: 1, pad: "x".repeat(1_100_000) })],
    ...[
      "invalid-missing-update-id",
      "invalid-update-id-string",
      "invalid-chat-type",
      "invalid-text-not-string",
      "invalid-array",
    ].map((name) => [name, readFileSync(join(FIXTURES, `${name}.json`), "utf8")] as [string, string]),
    ["text over 8192 characters", JSON.stringify(text("好".repeat(9000)))],
  ])(
    "answers %s with 200 (so Telegram does not retry a poison update) and stores nothing",
    async (_case, body) => {
      const before = (await client.send(new ScanCommand({ TableName: TABLE }))).Count;
      const { status, raw } = await post(body);
      expect(status).toBe(200);
      expect(raw).toBe("");
      expect((await client.send(new ScanCommand({ TableName: TABLE }))).Count).toBe(before);
      expect(fake.calls).toEqual([]);
    },
  );

  it("logs no message text and no token", () => {
    const all = logs.raw.join("\n");
    expect(all).not.toContain("忘记登录密码");
    expect(all).not.toContain(TOKEN.split(":")[1]);
    expect(all).not.toContain(SECRET);
  });
});
