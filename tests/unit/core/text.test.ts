import { describe, expect, it } from "vitest";
import { comparableText, normaliseText, textKey } from "../../../src/core/text.ts";

describe("normaliseText", () => {
  it.each([
    ["a lone high surrogate", "hi \uD800 there", "hi \uFFFD there"],
    ["a lone low surrogate", "\uDC00x", "\uFFFDx"],
    ["a pair, kept", "ok 😀", "ok 😀"],
    ["control characters, dropped", "bell\u0007 nul\u0000 esc\u001b[31m", "bell nul esc[31m"],
    ["line breaks", "a\r\nb\rc\n\td", "a\nb\nc\n\td"],
    ["bidi overrides and isolates", "visit \u202Emoc.elpmaxe\u202C \u2066x\u2069", "visit moc.elpmaxe x"],
    ["decomposed accents, composed (NFC)", "cafe\u0301", "café"],
    ["Chinese, unchanged", "你好，請問手續費？", "你好，請問手續費？"],
  ])("%s", (_, input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it("gives text that UTF-8 round-trips", () => {
    const out = normaliseText("\uD83D a \uDE00 b");
    expect(Buffer.from(out, "utf8").toString("utf8")).toBe(out);
  });
});

describe("comparableText and textKey", () => {
  it.each([
    ["Traditional as Simplified", "怎麼提現", "怎么提现"],
    ["full-width letters and digits, case", "ＨＯＷ ｄｏ I ２", "how do i 2"],
    ["mixed", "我的Withdraw一直Pending", "我的withdraw一直pending"],
  ])("comparableText folds %s", (_, input, expected) => {
    expect(comparableText(input)).toBe(expected);
  });

  it("textKey also drops spacing, punctuation and symbols", () => {
    expect(textKey("How do I  withdraw?!")).toBe(textKey("how do i withdraw"));
    expect(textKey("請問，怎麼提現？")).toBe(textKey("请问怎么提现"));
    expect(textKey("怎么提现")).not.toBe(textKey("怎么充值"));
  });
});
