import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURES, extractFeatures, featureFamily } from "../../../src/core/features.ts";

describe("extractFeatures", () => {
  it("makes Han character 1- to 3-grams within runs", () => {
    const features = extractFeatures("转账失败", DEFAULT_FEATURES);
    expect(features.get("h转")).toBe(1);
    expect(features.get("h转账")).toBe(1);
    expect(features.get("h转账失")).toBe(1);
    expect(features.has("h转账失败")).toBe(false);
  });

  it("makes word unigrams, bigrams and padded sub-word n-grams for Latin text", () => {
    const features = extractFeatures("Top up failed", DEFAULT_FEATURES);
    expect(features.get("wtop")).toBe(1);
    expect(features.get("wtop up")).toBe(1);
    expect(features.get("s fai")).toBe(1);
    expect(features.get("sled ")).toBe(1);
  });

  it("gives Traditional and Simplified text the same features", () => {
    expect([...extractFeatures("帳號被凍結", DEFAULT_FEATURES)]).toEqual([
      ...extractFeatures("帐号被冻结", DEFAULT_FEATURES),
    ]);
  });

  it("represents digit runs by their length only", () => {
    const features = extractFeatures("400 123 4567", DEFAULT_FEATURES);
    expect(features.get("w#3")).toBe(2);
    expect(features.get("w#4")).toBe(1);
    expect([...features.keys()].some((f) => f.includes("123"))).toBe(false);
  });

  it("returns nothing for text with no letters or digits", () => {
    expect(extractFeatures("?!… 😀", DEFAULT_FEATURES).size).toBe(0);
  });

  it("names the family of each feature", () => {
    expect(featureFamily("h转")).toBe("han");
    expect(featureFamily("s ok")).toBe("subword");
    expect(featureFamily("wok")).toBe("word");
  });
});
