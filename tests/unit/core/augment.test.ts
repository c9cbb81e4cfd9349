import { describe, expect, it } from "vitest";
import { brandExamples, parseBrands, pinyinExamples, toPinyin } from "../../../src/core/augment.ts";
import { ValidationError } from "../../../src/errors.ts";

describe("toPinyin", () => {
  it("writes toneless pinyin by syllable or by word, keeping Latin words and dropping punctuation", () => {
    expect(toPinyin("我的密码忘了怎么办", false)).toBe("wo de mi ma wang le zen me ban");
    expect(toPinyin("我的密码忘了怎么办", true)).toBe("wode mima wangle zenme ban");
    expect(toPinyin("我的top up还没到账！", false)).toMatch(/^wo de top up hai mei dao zhang$/);
    expect(toPinyin("账號", false)).toBe("zhang hao");
  });
});

describe("pinyinExamples", () => {
  it("derives one example per short Chinese utterance, alternating the two ways, deterministically", () => {
    const examples = [
      { text: "转账失败", label: "transfer_failed" },
      { text: "forgot my password", label: "password_reset" },
      { text: "密码忘了", label: "password_reset" },
      { text: "很".repeat(30), label: "out_of_scope" },
    ];
    expect(pinyinExamples(examples)).toEqual([
      { text: "zhuanzhang shibai", label: "transfer_failed" },
      { text: "mi ma wang le", label: "password_reset" },
    ]);
    expect(pinyinExamples(examples)).toEqual(pinyinExamples(examples));
  });
});

describe("brandExamples", () => {
  const file = parseBrands(
    {
      brands: { latin: ["PayPal"], simplified: ["淘宝"], traditional: ["蝦皮"] },
      templates: {
        en: ["my {brand} account got limited", "reset my {brand} password"],
        "zh-Hans": ["{brand}账号被封了"],
        "zh-Hant": ["{brand}帳號被鎖", "{brand}點樣退款"],
      },
    },
    "brands.yaml",
  );

  it("fills templates of each name's script in turn, Latin names also in lower case and in Chinese", () => {
    expect(brandExamples(file, "out_of_scope")).toEqual(
      [
        "my PayPal account got limited",
        "reset my paypal password",
        "PayPal账号被封了",
        "淘宝账号被封了",
        "淘宝账号被封了",
        "蝦皮帳號被鎖",
        "蝦皮點樣退款",
      ].map((text) => ({ text, label: "out_of_scope" })),
    );
  });

  it("rejects a template without exactly one {brand}, an unknown key and an empty name", () => {
    const bad = (change: object) => () =>
      parseBrands(
        {
          brands: { latin: [], simplified: [], traditional: [] },
          templates: { en: ["{brand}"], "zh-Hans": ["{brand}"], "zh-Hant": ["{brand}"] },
          ...change,
        },
        "brands.yaml",
      );
    expect(bad({})).not.toThrow();
    expect(
      bad({ templates: { en: ["no name here"], "zh-Hans": ["{brand}"], "zh-Hant": ["{brand}"] } }),
    ).toThrow(ValidationError);
    expect(
      bad({ templates: { en: ["{brand} and {brand}"], "zh-Hans": ["{brand}"], "zh-Hant": ["{brand}"] } }),
    ).toThrow(ValidationError);
    expect(bad({ extra: true })).toThrow(/brands\.yaml/);
    expect(bad({ brands: { latin: [""], simplified: [], traditional: [] } })).toThrow(ValidationError);
  });
});
