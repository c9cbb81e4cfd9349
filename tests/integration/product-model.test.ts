import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateModel } from "../../src/cli/classifier-commands.ts";
import { readExamplesCsv } from "../../src/cli/csv.ts";
import { GENERATED_DIR, loadBrain } from "../../src/config.ts";
import { loadContent, sourceHash } from "../../src/content-loader.ts";
import { INTENTS } from "../../src/core/intents.ts";
import { scriptOf } from "../../src/core/language.ts";
import { settingName } from "../../src/core/select.ts";
import { optionsOf, trainModel } from "../../src/core/train.ts";

/**
 * Two sets of messages written apart from content/ and never trained on: heldout.csv (typical
 * messages) and heldout-hard.csv (indirect wording, slang, Cantonese, out-of-scope traps).
 */
const fixture = (name: string) =>
  readExamplesCsv(join(import.meta.dirname, "..", "fixtures", "classifier", name));
const heldOut = fixture("heldout.csv");
const hard = fixture("heldout-hard.csv");
/** Written as users in Hong Kong, Taiwan, Singapore, Malaysia and mainland China write (issue 16). */
const regional = fixture("heldout-regional.csv");

describe("the product model", () => {
  const brain = loadBrain();

  it("is built from the current content and code", () => {
    expect(brain.sourceHash).toBe(sourceHash());
  });

  it("is exactly what training on content/ with its recorded setting produces (never edited by hand)", () => {
    const model = brain.classifier.model;
    expect(model.training.selection?.chosen).toBe(settingName(optionsOf(model)));
    const retrained = trainModel(loadContent().examples, optionsOf(model));
    expect(retrained.toJson()).toBe(readFileSync(join(GENERATED_DIR, "model.json"), "utf8"));
  });

  it("classifies at least 90% of unseen user messages correctly, out-of-scope included", () => {
    expect(new Set(heldOut.map((e) => e.label))).toEqual(new Set(INTENTS));
    expect(new Set(hard.map((e) => e.label))).toEqual(new Set(INTENTS));
    const all = evaluateModel(brain.classifier, [...heldOut, ...hard]);
    expect(all.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const intent of INTENTS) expect(all.perLabel[intent]?.recall, intent).toBeGreaterThanOrEqual(0.75);
    // Each set on its own, so a regression in either shows.
    expect(evaluateModel(brain.classifier, heldOut).accuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluateModel(brain.classifier, hard).accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it("is as accurate on the Traditional-script half as on the Simplified one", () => {
    const traditional = heldOut.filter((e) => /[們麼這個嗎說錢轉還沒帳號請]/u.test(e.text));
    const simplified = heldOut.filter((e) => /[们么这个吗说钱转还没账号请]/u.test(e.text));
    expect(traditional.length).toBeGreaterThan(80);
    expect(simplified.length).toBeGreaterThan(80);
    expect(evaluateModel(brain.classifier, traditional).accuracy).toBeGreaterThanOrEqual(0.9);
    expect(evaluateModel(brain.classifier, simplified).accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("understands how users in the region write: Cantonese, pinyin, Singlish, code-switching", () => {
    expect(new Set(regional.map((e) => e.label))).toEqual(new Set(INTENTS));
    expect(evaluateModel(brain.classifier, regional).accuracy).toBeGreaterThanOrEqual(0.93);
    for (const script of ["Simplified", "Traditional", "Latin"] as const) {
      const part = regional.filter((e) => scriptOf(e.text) === script);
      expect(part.length, script).toBeGreaterThan(100);
      expect(evaluateModel(brain.classifier, part).accuracy, script).toBeGreaterThanOrEqual(0.93);
    }
  });
});
