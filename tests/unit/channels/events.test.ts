import { describe, expect, it } from "vitest";
import { addressed } from "../../../src/channels/events.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";

const to = { chatId: 42, callbackId: "cb-1" };
const USER = "telegram:42";
const message: InboundMessage = {
  channel: "telegram",
  userKey: USER,
  eventId: "tg:1",
  content: { type: "text", text: "忘记密码", localeHint: "zh-Hans" },
};

describe("addressed", () => {
  it("passes an inbound message through unchanged, addressed to `to` and nothing more", () => {
    const event = addressed({ kind: "inbound", message }, to, "ignored:1");
    expect(event).toStrictEqual({ kind: "inbound", to, message });
    expect(event.kind === "inbound" && event.message).toBe(message);
  });

  it("keeps the forget step, with the user's key and locale hint", () => {
    expect(addressed({ kind: "forget", step: "confirm", locale: "en" }, to, USER)).toStrictEqual({
      kind: "forget",
      to,
      userKey: USER,
      localeHint: "en",
      step: "confirm",
    });
    expect(addressed({ kind: "forget", step: "ask" }, to, USER)).toMatchObject({
      step: "ask",
      localeHint: undefined,
    });
  });

  it("names the notice of an unsupported message and of an expired button", () => {
    expect(addressed({ kind: "unsupported", locale: "zh-Hant" }, to, USER)).toStrictEqual({
      kind: "notice",
      to,
      userKey: USER,
      localeHint: "zh-Hant",
      notice: "unsupportedMessage",
    });
    expect(addressed({ kind: "expired" }, to, USER)).toStrictEqual({
      kind: "notice",
      to,
      userKey: USER,
      localeHint: undefined,
      notice: "expiredButton",
    });
  });

  it("turns a request for the free-text form into a prompt", () => {
    expect(addressed({ kind: "modal", locale: "zh-Hans" }, "interaction-1", "discord:7")).toStrictEqual({
      kind: "prompt",
      to: "interaction-1",
      userKey: "discord:7",
      localeHint: "zh-Hans",
    });
  });
});
