import { describe, expect, it } from "vitest";
import { webInbound } from "../../../../src/channels/web/web.adapter.ts";

const SESSION = "s3ssion_ID-with-22chars";

/** Whether the text survives UTF-8 unchanged (lone surrogates do not). */
const wellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8") === text;

describe("webInbound", () => {
  it("turns text into a text message from the session's user, with no event id unless one is given", () => {
    expect(webInbound({ sessionId: SESSION, text: "我的帳號被鎖了" })).toStrictEqual({
      channel: "web",
      userKey: `web:${SESSION}`,
      content: { type: "text", text: "我的帳號被鎖了" },
    });
  });

  it("turns a button id into a button press, with the page's locale as a hint", () => {
    expect(webInbound({ sessionId: SESSION, buttonId: "t:fees", locale: "zh-Hant" })).toStrictEqual({
      channel: "web",
      userKey: `web:${SESSION}`,
      content: { type: "button", buttonId: "t:fees", localeHint: "zh-Hant" },
    });
    expect(webInbound({ sessionId: SESSION, text: "hi", locale: "en" }).content).toStrictEqual({
      type: "text",
      text: "hi",
      localeHint: "en",
    });
  });

  it("makes the client's message id the event id, so a retry is recognised", () => {
    const message = webInbound({ sessionId: SESSION, text: "hi", clientMessageId: "m-1_a" });
    expect(message.eventId).toBe("web:m-1_a");
    expect(webInbound({ sessionId: SESSION, text: "hi", clientMessageId: "m-1_a" })).toStrictEqual(message);
  });

  it("replaces lone surrogates with U+FFFD and keeps valid pairs", () => {
    const cases: [string, string][] = [
      ["a\uD800b", "a\uFFFDb"],
      ["\uDC00x", "\uFFFDx"],
      ["end\uD83D", "end\uFFFD"],
      ["\uD83D\uD83D\uDE00", "\uFFFD😀"],
      ["😀\uDE00", "😀\uFFFD"],
      ["\uDE00\uD83D", "\uFFFD\uFFFD"],
      ["转账😀失败👍🏽", "转账😀失败👍🏽"],
    ];
    for (const [input, expected] of cases) {
      const content = webInbound({ sessionId: SESSION, text: input }).content;
      expect(content).toStrictEqual({ type: "text", text: expected });
      expect(wellFormed(expected)).toBe(true);
    }
  });
});
