import { z } from "zod";
import { validate } from "../validate.ts";
import { extractFeatures, type FeatureConfig, featureFamily } from "./features.ts";

export const MODEL_FORMAT = "guardline-linear/1";

export interface Scored {
  label: string;
  /** Calibrated probability that this label is right, 0–1. */
  confidence: number;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  labels: z.array(z.string().min(1)).min(2).max(255),
  features: z.object({
    hanNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    wordNgrams: z.number().int().min(1).max(2),
    subwordNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    weights: z.object({ han: z.number(), word: z.number(), subword: z.number() }),
  }),
  temperature: z.number().positive(),
  training: z.object({ examples: z.number().int(), sourceHash: z.string().optional() }),
  vocabulary: z.array(z.string()),
  idf: base64,
  bias: base64,
  classScales: base64,
  weightCounts: base64,
  weightClasses: base64,
  weightValues: base64,
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Everything `LinearModel` needs, as produced by the trainer (weights already quantised). */
export interface ModelParts {
  labels: readonly string[];
  features: FeatureConfig;
  temperature: number;
  training: { examples: number; sourceHash?: string | undefined };
  vocabulary: readonly string[];
  idf: Float32Array;
  bias: Float32Array;
  classScales: Float32Array;
  /** Per vocabulary entry, how many (class, value) weight pairs it has. */
  weightCounts: Uint8Array;
  weightClasses: Uint8Array;
  weightValues: Int8Array;
}

const encode = (array: ArrayBufferView) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
function decode<T>(text: string, View: new (buffer: ArrayBuffer) => T): T {
  const bytes = Buffer.from(text, "base64");
  return new View(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * A trained linear text classifier: TF-IDF features, one weight vector per label, softmax with a
 * fitted temperature for calibrated confidences. Weights are stored sparse, per feature, as int8
 * with a scale per label, which keeps the file small and prediction a few thousand multiply-adds.
 */
export class LinearModel {
  readonly labels: readonly string[];
  readonly features: FeatureConfig;
  readonly temperature: number;
  private readonly parts: ModelParts;
  private readonly index: Map<string, number>;
  private readonly offsets: Uint32Array;
  private readonly weights: Float32Array;

  constructor(parts: ModelParts) {
    this.parts = parts;
    this.labels = parts.labels;
    this.features = parts.features;
    this.temperature = parts.temperature;
    this.index = new Map(parts.vocabulary.map((feature, i) => [feature, i]));
    this.offsets = new Uint32Array(parts.vocabulary.length + 1);
    for (let i = 0; i < parts.vocabulary.length; i++) {
      this.offsets[i + 1] = (this.offsets[i] as number) + (parts.weightCounts[i] as number);
    }
    this.weights = Float32Array.from(
      parts.weightValues,
      (q, k) => q * (parts.classScales[parts.weightClasses[k] as number] as number),
    );
  }

  static fromJson(text: string): LinearModel {
    const file = validate(modelFileSchema, JSON.parse(text), "model file");
    return new LinearModel({
      labels: file.labels,
      features: file.features,
      temperature: file.temperature,
      training: file.training,
      vocabulary: file.vocabulary,
      idf: decode(file.idf, Float32Array),
      bias: decode(file.bias, Float32Array),
      classScales: decode(file.classScales, Float32Array),
      weightCounts: decode(file.weightCounts, Uint8Array),
      weightClasses: decode(file.weightClasses, Uint8Array),
      weightValues: decode(file.weightValues, Int8Array),
    });
  }

  /** The model file: same parts → same bytes. */
  toJson(): string {
    const p = this.parts;
    const file: ModelFile = {
      format: MODEL_FORMAT,
      labels: [...p.labels],
      features: {
        ...p.features,
        hanNgrams: [...p.features.hanNgrams],
        subwordNgrams: [...p.features.subwordNgrams],
      },
      temperature: p.temperature,
      training: p.training,
      vocabulary: [...p.vocabulary],
      idf: encode(p.idf),
      bias: encode(p.bias),
      classScales: encode(p.classScales),
      weightCounts: encode(p.weightCounts),
      weightClasses: encode(p.weightClasses),
      weightValues: encode(p.weightValues),
    };
    return JSON.stringify(file);
  }

  get training(): { examples: number; sourceHash?: string | undefined } {
    return this.parts.training;
  }

  /** Raw decision scores, one per label (in `labels` order). */
  scores(text: string): Float64Array {
    const scores = Float64Array.from(this.parts.bias);
    const seen: { index: number; value: number }[] = [];
    let squaredNorm = 0;
    for (const [feature, count] of extractFeatures(text, this.features)) {
      const index = this.index.get(feature);
      if (index === undefined) continue;
      const value =
        (1 + Math.log(count)) *
        (this.parts.idf[index] as number) *
        this.features.weights[featureFamily(feature)];
      squaredNorm += value * value;
      seen.push({ index, value });
    }
    if (squaredNorm === 0) return scores;
    const norm = Math.sqrt(squaredNorm);
    for (const { index, value } of seen) {
      const scaled = value / norm;
      for (let k = this.offsets[index] as number; k < (this.offsets[index + 1] as number); k++) {
        const label = this.parts.weightClasses[k] as number;
        scores[label] = (scores[label] as number) + scaled * (this.weights[k] as number);
      }
    }
    return scores;
  }

  /** Every label with its calibrated confidence, most likely first. */
  predict(text: string): Scored[] {
    return softmax(this.scores(text), this.temperature)
      .map((confidence, i) => ({ label: this.labels[i] as string, confidence }))
      .sort((a, b) => b.confidence - a.confidence);
  }
}

/** Softmax of `scores × temperature`, numerically stable. */
export function softmax(scores: ArrayLike<number>, temperature: number): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i] as number);
  const exps = Array.from({ length: scores.length }, (_, i) =>
    Math.exp(((scores[i] as number) - max) * temperature),
  );
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
