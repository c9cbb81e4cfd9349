import { describe, expect, it } from "vitest";
import { GRID, selectSetting, settingName } from "../../../src/core/select.ts";
import {
  crossValidate,
  DEFAULT_TRAINING,
  type Example,
  optionsOf,
  trainModel,
} from "../../../src/core/train.ts";
import { TINY_EXAMPLES } from "../../support/tiny-examples.ts";

const examples: Example[] = TINY_EXAMPLES;

describe("selectSetting", () => {
  it("starts from the defaults and keeps a candidate only when it is strictly better in cross-validation", () => {
    const selection = selectSetting(examples, DEFAULT_TRAINING, {}, 3);
    const [first, ...rest] = selection.trials;
    expect(first?.name).toBe(
      settingName({ ...DEFAULT_TRAINING, features: { ...DEFAULT_TRAINING.features, hanRuns: false } }),
    );
    expect(first?.cv).toEqual(crossValidate(examples, DEFAULT_TRAINING, 3));
    const names = selection.trials.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    // Both scripts are present: every dimension is searched.
    for (const part of [
      "han 1–3",
      "across",
      "han 1–4",
      "+runs",
      "words 1–1",
      "sub 2–4",
      "sub 3–5",
      "C 1",
      "C 4",
      "max-df 1",
    ])
      expect(
        names.some((n) => n.includes(part)),
        part,
      ).toBe(true);
    for (const trial of rest) expect(trial.cv.mean).toBeLessThanOrEqual(selection.best.cv.mean);
    const firstBest = selection.trials.find((t) => t.cv.mean === selection.best.cv.mean);
    expect(firstBest).toBe(selection.best);
    expect(selectSetting(examples, DEFAULT_TRAINING, {}, 3)).toEqual(selection);
  });

  it("leaves forced dimensions alone and skips a script the data does not have", () => {
    const latin = examples.filter((e) => /^[\x20-\x7e]+$/.test(e.text));
    const selection = selectSetting(latin, DEFAULT_TRAINING, { c: 4, subwordNgrams: [2, 5] }, 2);
    for (const trial of selection.trials) {
      expect(trial.setting.c).toBe(4);
      expect(trial.setting.features.subwordNgrams).toEqual([2, 5]);
      expect(trial.setting.features.hanNgrams).toEqual(DEFAULT_TRAINING.features.hanNgrams);
    }
    // The default, the other word setting and the max-df values.
    expect(selection.trials).toHaveLength(1 + (GRID.wordNgrams.length - 1) + (GRID.maxDf.length - 1));
  });

  it("records its choice in the model, and the recorded options retrain the same bytes", () => {
    const selection = selectSetting(examples, DEFAULT_TRAINING, {}, 3);
    const options = {
      ...DEFAULT_TRAINING,
      ...selection.best.setting,
      calibrationFraction: 0.34,
      selection: {
        k: 3,
        trials: selection.trials.length,
        mean: selection.best.cv.mean,
        chosen: selection.best.name,
      },
    };
    const model = trainModel(examples, options);
    expect(model.training).toMatchObject({
      c: options.c,
      maxDf: options.maxDf,
      selection: options.selection,
    });
    const again = trainModel(examples, { ...optionsOf(model), calibrationFraction: 0.34 });
    expect(again.toJson()).toBe(model.toJson());
  });
});
