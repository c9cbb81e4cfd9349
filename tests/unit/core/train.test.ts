import { describe, expect, it } from "vitest";
import { LinearModel } from "../../../src/core/model.ts";
import {
  crossValidate,
  DEFAULT_TRAINING,
  type Example,
  fitTemperature,
  trainModel,
} from "../../../src/core/train.ts";
import { ValidationError } from "../../../src/errors.ts";
import { TINY_EXAMPLES } from "../../support/tiny-examples.ts";

const examples: Example[] = TINY_EXAMPLES;
const options = { ...DEFAULT_TRAINING, calibrationFraction: 0.34 };

describe("trainModel", () => {
  it("learns labels that generalise to unseen wording and the other script", () => {
    const model = trainModel(examples, options);
    expect(model.predict("忘記了密碼")[0]?.label).toBe("password");
    expect(model.predict("the transfer failed again")[0]?.label).toBe("transfer");
    expect(model.predict("天氣如何")[0]?.label).toBe("other");
  });

  it("returns calibrated confidences that sum to one, most likely first", () => {
    const ranked = trainModel(examples, options).predict("forgot password");
    expect(ranked.map((r) => r.label).sort()).toEqual(["other", "password", "transfer"]);
    expect(ranked.reduce((sum, r) => sum + r.confidence, 0)).toBeCloseTo(1, 10);
    expect(ranked[0]?.confidence).toBeGreaterThan(ranked[1]?.confidence ?? 1);
  });

  it("gives the same model bytes for the same data and options", () => {
    expect(trainModel(examples, options).toJson()).toBe(trainModel(examples, options).toJson());
  });

  it("predicts the same after a round trip through the model file", () => {
    const model = trainModel(examples, options);
    const loaded = LinearModel.fromJson(model.toJson());
    for (const text of ["密码", "transfer", "joke", "無關的話"]) {
      expect(loaded.predict(text)).toEqual(model.predict(text));
    }
  });

  it("gives uniform confidence for text with no known features", () => {
    const ranked = trainModel(examples, options).predict("🙂🙂");
    // Only the biases speak: no label may be near-certain.
    expect(ranked[0]?.confidence).toBeLessThan(0.9);
  });

  it("keeps label ids apart up to 255 labels (they are packed into a byte)", () => {
    const many = Array.from({ length: 200 }, (_, i) => [
      { text: `item${i} alpha`, label: `label${i}` },
      { text: `item${i} beta`, label: `label${i}` },
    ]).flat();
    const model = trainModel(many, { ...options, calibrationFraction: 0 });
    expect(model.predict("item199 gamma")[0]?.label).toBe("label199");
    expect(model.predict("item130 gamma")[0]?.label).toBe("label130");
    expect(model.predict("item3 gamma")[0]?.label).toBe("label3");
  });

  it("refuses data with a single label", () => {
    expect(() => trainModel(examples.slice(0, 5), options)).toThrow(/two labels/);
  });

  it("rejects a model file whose arrays do not fit together", () => {
    const file = JSON.parse(trainModel(examples, options).toJson());
    file.bias = Buffer.from(new Float32Array(2).buffer).toString("base64");
    expect(() => LinearModel.fromJson(JSON.stringify(file))).toThrow(
      /bias or classScales do not match labels/,
    );
    const other = JSON.parse(trainModel(examples, options).toJson());
    other.weightClasses = Buffer.from(
      new Uint8Array(Buffer.from(other.weightClasses, "base64").length).fill(9),
    ).toString("base64");
    expect(() => LinearModel.fromJson(JSON.stringify(other))).toThrow(
      /a weight names a label that does not exist/,
    );
  });

  it("reports a readable error for a damaged model file", () => {
    const file = JSON.parse(trainModel(examples, options).toJson());
    file.labels = "not a list";
    expect(() => LinearModel.fromJson(JSON.stringify(file))).toThrow(ValidationError);
    expect(() => LinearModel.fromJson(JSON.stringify(file))).toThrow(/labels/);
  });
});

describe("fitTemperature", () => {
  it("softens over-confident scores and sharpens under-confident ones", () => {
    // Half of the confident predictions are wrong: the temperature must come down.
    const overconfident = fitTemperature(
      [
        [10, 0],
        [10, 0],
        [0, 10],
        [0, 10],
      ],
      [0, 1, 0, 1],
    );
    expect(overconfident).toBeLessThan(0.2);
    // Always right but with tiny margins: the temperature must go up.
    const underconfident = fitTemperature(
      [
        [0.1, 0],
        [0, 0.1],
      ],
      [0, 1],
    );
    expect(underconfident).toBeGreaterThan(50);
  });
});

describe("crossValidate", () => {
  it("scores each fold with a model that never saw it, deterministically", () => {
    const result = crossValidate(examples, DEFAULT_TRAINING, 3);
    expect(result.k).toBe(3);
    expect(result.folds).toHaveLength(3);
    for (const accuracy of result.folds) {
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }
    expect(result.mean).toBeCloseTo(result.folds.reduce((a, b) => a + b, 0) / 3, 3);
    expect(crossValidate(examples, DEFAULT_TRAINING, 3)).toEqual(result);
    // Labels shuffled at random cannot be learnt: their folds score below the real labels'.
    const labels = examples.map((e) => e.label);
    const shuffled = examples.map((e, i) => ({
      text: e.text,
      label: labels[(i * 7) % labels.length] as string,
    }));
    expect(crossValidate(shuffled, DEFAULT_TRAINING, 3).mean).toBeLessThan(result.mean);
  });
});
