import { describe, expect, it } from "vitest";
import { normalizeForFeatures } from "../../../src/core/normalize.ts";

describe("normalizeForFeatures", () => {
  it("turns full-width letters, digits and spaces into ASCII and folds case", () => {
    expect(normalizeForFeatures("ＨＥＬＬＯ　Ｗｏｒｌｄ　１２３")).toBe("hello world 123");
  });

  it("maps Traditional characters to Simplified, one by one", () => {
    expect(normalizeForFeatures("我的帳號被鎖定了")).toBe("我的帐号被锁定了");
    expect(normalizeForFeatures("軟體")).toBe("软体");
  });

  it("leaves Simplified text alone, including characters that are also Traditional variants", () => {
    const simplified = "怎么办 吃饭 才到 后来 群里 干净";
    expect(normalizeForFeatures(simplified)).toBe(simplified);
  });

  it("drops emoji, skin tones, flags and zero-width characters, and collapses whitespace", () => {
    expect(normalizeForFeatures("转账\u200b失败 😡👍🏽 🇨🇳\n\t 怎么办")).toBe("转账失败 怎么办");
  });

  it("keeps the text unchanged apart from that", () => {
    expect(normalizeForFeatures("top up 了钱没到账")).toBe("top up 了钱没到账");
  });
});
