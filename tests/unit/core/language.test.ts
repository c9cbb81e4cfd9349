import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../../src/core/language.ts";
import { localeFromTag } from "../../../src/core/locale.ts";

describe("detectLanguage", () => {
  it.each([
    ["我的账号被冻结了怎么办", "zh-Hans"],
    ["我的帳號被凍結了怎麼辦", "zh-Hant"],
    ["My transfer failed twice today", "en"],
    ["我的transfer失败了", "zh-Hans"],
    ["轉帳 failed 了", "zh-Hant"],
    ["my 转账 failed again", "en"],
  ] as const)("%s → %s", (text, locale) => {
    expect(detectLanguage(text).locale).toBe(locale);
  });

  it("has no script evidence without script-specific characters, and uses the fallback", () => {
    expect(detectLanguage("你好", "zh-Hant")).toEqual({ locale: "zh-Hant", evidence: 2, scriptEvidence: 0 });
    expect(detectLanguage("123 😀", "en")).toEqual({ locale: "en", evidence: 0, scriptEvidence: 0 });
    expect(detectLanguage("你好", "en").locale).toBe("zh-Hans");
  });

  it("counts Han characters and script-specific characters as evidence", () => {
    expect(detectLanguage("錢轉不出去")).toEqual({ locale: "zh-Hant", evidence: 5, scriptEvidence: 2 });
  });
});

describe("localeFromTag", () => {
  it.each([
    ["zh-hans", "zh-Hans"],
    ["zh-CN", "zh-Hans"],
    ["zh-TW", "zh-Hant"],
    ["zh-hk", "zh-Hant"],
    ["en-US", "en"],
    ["fr", undefined],
    [undefined, undefined],
  ] as const)("%s → %s", (tag, locale) => {
    expect(localeFromTag(tag)).toBe(locale);
  });
});
