import { describe, expect, it } from "vitest";
import { IntentClassifier } from "../../../src/core/classifier.ts";
import { DEFAULT_TRAINING, type Example, trainModel } from "../../../src/core/train.ts";

const phrases: Record<string, string[]> = {
  account_locked: [
    "my account is locked",
    "my account got locked after a password change",
    "locked out of my account",
    "account locked, please unlock it",
    "why is my account locked",
    "unlock my account please",
    "account has been locked",
    "help, my account was locked today",
  ],
  transfer_failed: [
    "my transfer failed",
    "the transfer to my friend failed",
    "sent money to my sister but it failed",
    "transfer keeps failing",
  ],
  out_of_scope: ["what's the weather today", "tell me a joke", "recommend a good movie", "who won the game"],
};
const examples: Example[] = Object.entries(phrases).flatMap(([label, texts]) =>
  texts.map((text) => ({ text, label })),
);
// max-df 1: on a dozen examples the default cut would drop "my" and "account" from the vocabulary.
const classifier = new IntentClassifier(
  trainModel(examples, { ...DEFAULT_TRAINING, maxDf: 1, calibrationFraction: 0 }),
);

describe("IntentClassifier's out-of-scope rules", () => {
  it("takes a capitalised name the content never mentions as another company's product", () => {
    expect(classifier.rank("my account is locked")).toMatchObject({ intent: "account_locked" });
    const venmo = classifier.rank("my Venmo account is locked");
    expect(venmo).toMatchObject({ intent: "out_of_scope", rule: "unfamiliar-name" });
    // The model's own view stays available as the alternatives.
    expect(venmo.alternatives[0]?.intent).toBe("account_locked");
  });

  it("keeps a person's name after to/from, typos of known words, all-caps and lower-case words", () => {
    expect(classifier.rank("the transfer to Ahmad failed").rule).toBeUndefined();
    expect(classifier.rank("my acount is lockd").rule).toBeUndefined();
    expect(classifier.rank("my ATM transfer failed").rule).toBeUndefined();
    expect(classifier.rank("my transfer failed, kenapa").rule).toBeUndefined();
    expect(classifier.rank("我的Venmo账号被锁了").rule).toBeUndefined();
  });

  it("takes text of unfamiliar words only as keyboard noise", () => {
    for (const noise of ["zxcvb poiuy", "qqqqqqqq", "Fdsa Rewq"]) {
      expect(classifier.outOfScopeRule(noise), noise).toBe("noise");
      expect(classifier.rank(noise).intent, noise).toBe("out_of_scope");
    }
    expect(classifier.outOfScopeRule("zxcvb my account")).toBeUndefined();
    expect(classifier.outOfScopeRule("locked")).toBeUndefined();
  });

  it("applies no rule to a model without an out_of_scope label", () => {
    const inScope = examples.filter((e) => e.label !== "out_of_scope");
    const model = new IntentClassifier(
      trainModel(inScope, { ...DEFAULT_TRAINING, maxDf: 1, calibrationFraction: 0 }),
    );
    expect(model.rank("zxcvb poiuy").rule).toBeUndefined();
    expect(model.rank("my Venmo account is locked").intent).toBe("account_locked");
  });
});
