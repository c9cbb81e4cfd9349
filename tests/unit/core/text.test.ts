import { describe, expect, it } from "vitest";
import { normaliseText } from "../../../src/core/text.ts";

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
