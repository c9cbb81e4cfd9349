import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  TELEGRAM_ALLOWED_UPDATES,
  TelegramApi,
  TelegramApiError,
} from "../../../../src/channels/telegram/telegram.api.ts";
import { configureLog } from "../../../../src/log.ts";
import { FakeTelegram } from "../../../support/fake-telegram.ts";

const TOKEN = "7012345678:AAHfakeTokenForTheApiTest_abc";
const fake = new FakeTelegram();
let api: TelegramApi;

beforeAll(async () => {
  configureLog({ level: "error" });
  api = new TelegramApi(TOKEN, await fake.start());
});
afterAll(() => fake.stop());
beforeEach(() => fake.clear());

describe("TelegramApi", () => {
  it("sends through the Bot API with the token in the path and the payload as JSON", async () => {
    await api.sendMessage(42, "hello", { message_thread_id: 7 });
    await api.answerCallbackQuery("cb-1");
    expect(fake.calls.map((c) => [c.token, c.method])).toEqual([
      [TOKEN, "sendMessage"],
      [TOKEN, "answerCallbackQuery"],
    ]);
    expect(fake.of("sendMessage")[0]).toMatchObject({ chat_id: 42, text: "hello", message_thread_id: 7 });
  });

  it("waits out a short 429 once, then gives up with the method, status and wait Telegram asked for", async () => {
    // Prepare
    fake.failNext("sendMessage", 429, 1, 1);

    // Act
    await api.sendMessage(42, "after a wait");
    fake.failNext("sendMessage", 429, 2, 1);
    const twice = await api.sendMessage(42, "twice").catch((error: unknown) => error);
    fake.failNext("createForumTopic", 429, 1, 30);
    const long = await api.createForumTopic(-100, "topic").catch((error: unknown) => error);

    // Assess
    expect(fake.of("sendMessage").map((b) => b.text)).toEqual([
      "after a wait",
      "after a wait",
      "twice",
      "twice",
    ]);
    expect(twice).toBeInstanceOf(TelegramApiError);
    expect(long).toMatchObject({
      platform: "telegram",
      method: "createForumTopic",
      apiStatus: 429,
      retryAfter: 30,
    });
    expect(fake.of("createForumTopic")).toHaveLength(1);
  }, 10_000);

  it("never puts the token in an error", async () => {
    fake.failNext("sendMessage", 400);
    const error = (await api.sendMessage(42, "x").catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ apiStatus: 400 });
    expect(error.message).toContain("fake failure");
    expect(`${error.message} ${error.stack}`).not.toContain(TOKEN.split(":")[1]);
  });

  it("registers the webhook for the update types the channel handles", async () => {
    await api.setWebhook("https://bot.example.com/webhooks/telegram", "s3cret", false);
    expect(fake.of("setWebhook")).toEqual([
      {
        url: "https://bot.example.com/webhooks/telegram",
        secret_token: "s3cret",
        allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
        drop_pending_updates: false,
      },
    ]);
  });
});
