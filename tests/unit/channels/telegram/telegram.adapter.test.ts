import { describe, expect, it } from "vitest";
import { secretMatches } from "../../../../src/channels/constant-time.ts";
import { splitText } from "../../../../src/channels/split-text.ts";
import {
  TELEGRAM_TEXT_LIMIT,
  telegramButtonSigner,
  telegramMessages,
} from "../../../../src/channels/telegram/telegram.adapter.ts";

describe("telegram adapter", () => {
  it("compares the webhook secret exactly, whatever its length", () => {
    expect(secretMatches("s3cret", "s3cret")).toBe(true);
    expect(secretMatches("s3cre", "s3cret")).toBe(false);
    expect(secretMatches("s3cret!", "s3cret")).toBe(false);
    expect(secretMatches(undefined, "s3cret")).toBe(false);
  });

  it("signs button data per chat, within 64 bytes, and refuses anything else", () => {
    const signer = telegramButtonSigner("secret");
    const data = signer.sign(42, "fb:n:account_compromised");
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(signer.verify(42, data)).toBe("fb:n:account_compromised");
    expect(signer.verify(43, data)).toBeUndefined();
    expect(signer.verify(42, data.replace("fb:n", "fb:y"))).toBeUndefined();
    expect(telegramButtonSigner("other").verify(42, data)).toBeUndefined();
    expect(signer.verify(42, "menu")).toBeUndefined();
  });

  it("splits long text at paragraph or line ends, each part within the limit", () => {
    const paragraph = `${"这是一段很长的说明。".repeat(60)}\n`;
    const parts = splitText(paragraph.repeat(12), TELEGRAM_TEXT_LIMIT);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect([...part].length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join("\n")).toBe(paragraph.repeat(12).trimEnd());
    expect(splitText("x".repeat(9000), TELEGRAM_TEXT_LIMIT).map((p) => p.length)).toEqual([4096, 4096, 808]);
  });

  it("puts buttons under the last part, short ones in a row and long ones one per row", () => {
    const signer = telegramButtonSigner("secret");
    const long = {
      text: "段落\n".repeat(3000),
      buttons: [
        { id: "fb:y:fees", label: "有帮助" },
        { id: "fb:n:fees", label: "没帮助" },
      ],
    };
    const messages = telegramMessages(long, 7, signer);
    expect(messages.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(messages.at(-1)?.reply_markup?.inline_keyboard).toHaveLength(1);
    const menu = {
      text: "menu",
      buttons: ["a", "b", "c", "d"].map((x) => ({ id: `t:${x}`, label: `Topic ${x} long label` })),
    };
    expect(telegramMessages(menu, 7, signer)[0]?.reply_markup?.inline_keyboard).toHaveLength(4);
  });
});
