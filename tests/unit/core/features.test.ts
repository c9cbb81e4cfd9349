import { describe, expect, it } from "vitest";
import {
  DEFAULT_FEATURES,
  extractFeatures,
  featureFamily,
  featureId,
  scanFeatures,
  scanned,
} from "../../../src/core/features.ts";

/** The counts as a Map, for readable assertions. */
const features = (text: string) => {
  const { ids, counts } = extractFeatures(text, DEFAULT_FEATURES);
  return new Map(Array.from(ids, (id, i) => [id, counts[i]]));
};

describe("extractFeatures", () => {
  it("makes Han character 1- and 2-grams within runs, with the run's edges as grams", () => {
    const f = features("转账失败");
    expect(f.get(featureId("han", "转"))).toBe(1);
    expect(f.get(featureId("han", "转账"))).toBe(1);
    expect(f.get(featureId("han", " 转"))).toBe(1);
    expect(f.get(featureId("han", "败 "))).toBe(1);
    expect(f.has(featureId("han", "转账失"))).toBe(false);
    expect(f.has(featureId("han", " "))).toBe(false);
    expect(f.size).toBe(4 + 5);
  });

  it("makes word unigrams, bigrams and padded sub-word n-grams for Latin text", () => {
    const f = features("Top up failed");
    expect(f.get(featureId("word", "top"))).toBe(1);
    expect(f.get(featureId("word", "top up"))).toBe(1);
    expect(f.get(featureId("subword", " fai"))).toBe(1);
    expect(f.get(featureId("subword", "led "))).toBe(1);
    expect(f.has(featureId("subword", "p f"))).toBe(false);
  });

  it("counts repeated grams", () => {
    expect(features("no no no").get(featureId("word", "no"))).toBe(3);
  });

  it("keeps families apart even for the same characters", () => {
    expect(featureFamily(featureId("han", "ok"))).toBe("han");
    expect(featureFamily(featureId("word", "ok"))).toBe("word");
    expect(featureFamily(featureId("subword", "ok"))).toBe("subword");
    expect(featureId("word", "ok")).not.toBe(featureId("subword", "ok"));
  });

  it("treats an astral Han character as one character", () => {
    const f = features("𠮷野家");
    expect(f.get(featureId("han", "𠮷"))).toBe(1);
    expect(f.get(featureId("han", "𠮷野"))).toBe(1);
    expect(f.get(featureId("han", " 𠮷"))).toBe(1);
  });

  it("gives Traditional and Simplified text the same features", () => {
    expect([...features("帳號被凍結")]).toEqual([...features("帐号被冻结")]);
    expect([...features("軟體")]).toEqual([...features("软体")]);
  });

  it("leaves Simplified characters that are also Traditional variants alone", () => {
    const f = features("怎么办 才到 后来 干净");
    for (const gram of ["怎么", "才到", "后来", "干净"]) expect(f.get(featureId("han", gram))).toBe(1);
  });

  it("reads full-width letters and digits as ASCII, and folds case", () => {
    expect([...features("ＨＥＬＬＯ　Ｗｏｒｌｄ　１２３")]).toEqual([...features("hello world 123")]);
  });

  it("represents digit runs by their length only", () => {
    const f = features("400 123 4567");
    expect(f.get(featureId("word", "#3"))).toBe(2);
    expect(f.get(featureId("word", "#4"))).toBe(1);
    expect(f.has(featureId("word", "123"))).toBe(false);
  });

  it("splits mixed text where the script changes: the English word and the Han run keep their own grams", () => {
    const f = features("我的transfer失败了");
    expect(f.get(featureId("word", "transfer"))).toBe(1);
    expect(f.get(featureId("subword", "er "))).toBe(1);
    expect(f.get(featureId("han", " 失"))).toBe(1);
    expect(f.get(featureId("han", "的 "))).toBe(1);
    expect(f.has(featureId("word", "transfer失败了"))).toBe(false);
  });

  it("drops zero-width characters without splitting, and splits at emoji", () => {
    expect(features("转账\u200b失败").get(featureId("han", "账失"))).toBe(1);
    expect(features("top\u200bup").get(featureId("word", "topup"))).toBe(1);
    const f = features("top👍🏽up");
    expect(f.get(featureId("word", "top up"))).toBe(1);
    expect(f.has(featureId("word", "topup"))).toBe(false);
  });

  it("keeps apostrophes and later digits inside a word; a leading digit run is a number of its own", () => {
    const f = features("Don't send USDT2 for the 2FA code");
    expect(f.get(featureId("word", "don't"))).toBe(1);
    expect(f.get(featureId("word", "usdt2"))).toBe(1);
    expect(f.get(featureId("word", "#1"))).toBe(1);
    expect(f.get(featureId("word", "fa"))).toBe(1);
    expect(f.has(featureId("word", "2fa"))).toBe(false);
  });

  it("scanFeatures leaves the same features in its reused buffers as extractFeatures returns", () => {
    for (const text of ["转账失败 怎么办", "Top up failed, again and again", "word ".repeat(3000)]) {
      const { ids, counts } = extractFeatures(text, DEFAULT_FEATURES);
      scanFeatures(text, DEFAULT_FEATURES);
      expect(scanned.length).toBe(ids.length);
      expect([...scanned.ids.subarray(0, scanned.length)]).toEqual([...ids]);
      expect([...scanned.counts.subarray(0, scanned.length)]).toEqual([...counts]);
    }
  });

  it("returns nothing for text with no letters or digits", () => {
    expect(features("?!… 😀").size).toBe(0);
  });

  it("lists each id once", () => {
    const { ids } = extractFeatures("no no no 不不不", DEFAULT_FEATURES);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it("handles texts longer than its scratch space", () => {
    expect(features("word ".repeat(2000)).get(featureId("word", "word"))).toBe(2000);
  });

  it("ids are 30-bit non-negative integers", () => {
    for (const id of features("混合 text 123")) expect(id[0] >= 0 && id[0] < 2 ** 30).toBe(true);
  });
});
