import { z } from "zod";
import { ValidationError } from "../errors.ts";
import { validate } from "../validate.ts";
import { extractFeatures, type FeatureConfig } from "./features.ts";
import { IdIndex } from "./id-index.ts";

export const MODEL_FORMAT = "guardline-linear/2";

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
  vocabulary: base64,
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
  /** Feature ids (see features.ts), ascending; position = row of the weight table. */
  vocabulary: Uint32Array;
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
 * fitted temperature for calibrated confidences. Weights are stored sparse, per feature, already
 * multiplied by the feature's idf, as int8 with a scale per label: the file stays small and a
 * prediction is a few thousand multiply-adds.
 */
export class LinearModel {
  readonly labels: readonly string[];
  readonly features: FeatureConfig;
  readonly temperature: number;
  private readonly parts: ModelParts;
  private readonly index: IdIndex;
  private readonly offsets: Int32Array;
  /** Weight entries packed as (label << 8) | int8 value: half the memory traffic of separate arrays. */
  private readonly packed: Uint16Array;
  /** Family weight by a feature id's top two bits (han, word, subword). */
  private readonly familyWeights: Float64Array;

  constructor(parts: ModelParts) {
    checkConsistent(parts);
    this.parts = parts;
    this.labels = parts.labels;
    this.features = parts.features;
    this.temperature = parts.temperature;
    this.familyWeights = Float64Array.of(
      parts.features.weights.han,
      parts.features.weights.word,
      parts.features.weights.subword,
    );
    this.index = new IdIndex(parts.vocabulary);
    this.offsets = new Int32Array(parts.vocabulary.length + 1);
    for (let i = 0; i < parts.vocabulary.length; i++) {
      this.offsets[i + 1] = (this.offsets[i] as number) + (parts.weightCounts[i] as number);
    }
    this.packed = Uint16Array.from(
      parts.weightValues,
      (q, k) => ((parts.weightClasses[k] as number) << 8) | (q & 0xff),
    );
  }

  static fromJson(text: string): LinearModel {
    const file = validate(modelFileSchema, JSON.parse(text), "model file");
    return new LinearModel({
      labels: file.labels,
      features: file.features,
      temperature: file.temperature,
      training: file.training,
      vocabulary: decode(file.vocabulary, Uint32Array),
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
      vocabulary: encode(p.vocabulary),
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
    const scores = new Float64Array(this.parts.bias.length);
    scores.set(this.parts.bias);
    const { ids, counts } = extractFeatures(text, this.features);
    const indices = new Int32Array(ids.length);
    const values = new Float64Array(ids.length);
    let found = 0;
    let squaredNorm = 0;
    for (let i = 0; i < ids.length; i++) {
      const feature = ids[i] as number;
      const index = this.index.get(feature);
      if (index < 0) continue;
      const count = counts[i] as number;
      // Weights already carry the idf (see quantise in train.ts); the norm needs it explicitly.
      const value = (count === 1 ? 1 : 1 + Math.log(count)) * (this.familyWeights[feature >>> 28] as number);
      const weighted = value * (this.parts.idf[index] as number);
      squaredNorm += weighted * weighted;
      indices[found] = index;
      values[found] = value;
      found++;
    }
    if (squaredNorm === 0) return scores;
    const sums = new Float64Array(scores.length);
    const { offsets, packed } = this;
    for (let f = 0; f < found; f++) {
      const index = indices[f] as number;
      const value = values[f] as number;
      const end = offsets[index + 1] as number;
      for (let k = offsets[index] as number; k < end; k++) {
        const entry = packed[k] as number;
        // High byte: the label; low byte: the int8 weight, sign-extended.
        sums[entry >> 8] = (sums[entry >> 8] as number) + value * ((entry << 24) >> 24);
      }
    }
    const inverseNorm = 1 / Math.sqrt(squaredNorm);
    for (let label = 0; label < scores.length; label++) {
      scores[label] =
        (scores[label] as number) +
        (sums[label] as number) * (this.parts.classScales[label] as number) * inverseNorm;
    }
    return scores;
  }

  /** The `top` likeliest labels (all by default) with their calibrated confidences, most likely first. */
  predict(text: string, top = this.labels.length): Scored[] {
    const probabilities = softmax(this.scores(text), this.temperature);
    const order: number[] = [];
    // Insertion into a short ranked list: cheaper than sorting every label when only a few are wanted.
    for (let i = 0; i < probabilities.length; i++) {
      const p = probabilities[i] as number;
      if (order.length === top && p <= (probabilities[order[top - 1] as number] as number)) continue;
      let at = order.length;
      while (at > 0 && p > (probabilities[order[at - 1] as number] as number)) at--;
      order.splice(at, 0, i);
      if (order.length > top) order.pop();
    }
    return order.map((i) => ({ label: this.labels[i] as string, confidence: probabilities[i] as number }));
  }
}

/** Array lengths and label ids must agree, or prediction would read past the arrays. */
function checkConsistent(parts: ModelParts): void {
  const labels = parts.labels.length;
  const entries = parts.weightCounts.reduce((sum, n) => sum + n, 0);
  const problems = [
    parts.idf.length !== parts.vocabulary.length && "idf and vocabulary differ in length",
    parts.weightCounts.length !== parts.vocabulary.length && "weightCounts and vocabulary differ in length",
    (parts.bias.length !== labels || parts.classScales.length !== labels) &&
      "bias or classScales do not match labels",
    (parts.weightClasses.length !== entries || parts.weightValues.length !== entries) &&
      "weightCounts do not add up to the weight entries",
    parts.weightClasses.some((label) => label >= labels) && "a weight names a label that does not exist",
  ].filter((problem): problem is string => typeof problem === "string");
  if (problems.length > 0) throw new ValidationError(`model file: ${problems.join("; ")}`);
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
