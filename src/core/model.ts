import * as z from "zod/mini";
import { ValidationError } from "../errors.ts";
import { validate } from "../validate.ts";
import { type FeatureConfig, scanFeatures, scanned } from "./features.ts";

export const MODEL_FORMAT = "guardline-linear/2";

export interface Scored {
  label: string;
  /** Calibrated probability that this label is right, 0–1. */
  confidence: number;
}

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));
const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  labels: z.array(z.string().check(z.minLength(1))).check(z.minLength(2), z.maxLength(255)),
  features: z.object({
    hanNgrams: z.tuple([z.number().check(z.int(), z.gte(1)), z.number().check(z.int(), z.gte(1))]),
    wordNgrams: z.number().check(z.int(), z.gte(1), z.lte(2)),
    subwordNgrams: z.tuple([z.number().check(z.int(), z.gte(1)), z.number().check(z.int(), z.gte(1))]),
    hanRuns: z.optional(z.boolean()),
    hanAcross: z.optional(z.boolean()),
    weights: z.object({ han: z.number(), word: z.number(), subword: z.number() }),
  }),
  temperature: z.number().check(z.positive()),
  training: z.object({
    examples: z.number().check(z.int()),
    c: z.optional(z.number().check(z.positive())),
    maxDf: z.optional(z.number().check(z.positive())),
    sourceHash: z.optional(z.string()),
    selection: z.optional(
      z.object({ k: z.number(), trials: z.number(), mean: z.number(), chosen: z.string() }),
    ),
  }),
  vocabulary: base64,
  idf: base64,
  bias: base64,
  classScales: base64,
  weightCounts: base64,
  weightClasses: base64,
  weightValues: base64,
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** What a model file records about how its setting was chosen by cross-validation. */
export interface SelectionRecord {
  /** Folds. */
  k: number;
  /** Settings tried. */
  trials: number;
  /** Mean fold accuracy of the chosen setting. */
  mean: number;
  chosen: string;
}

/** Everything `LinearModel` needs, as produced by the trainer (weights already quantised). */
export interface ModelParts {
  labels: readonly string[];
  features: FeatureConfig;
  temperature: number;
  training: {
    examples: number;
    c?: number | undefined;
    maxDf?: number | undefined;
    sourceHash?: string | undefined;
    selection?: SelectionRecord | undefined;
  };
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
  /**
   * The feature lookup: open addressing over slots of four 32-bit words — feature id, first and
   * end weight entry, idf as float bits — so that finding a feature's weights reads one cache line.
   */
  private readonly slots: Int32Array;
  private readonly slotIdf: Float32Array;
  private readonly slotMask: number;
  /** Weight entries packed as (label << 8) | int8 value: half the memory traffic of separate arrays. */
  private readonly packed: Uint16Array;
  /** Family weight by a feature id's top two bits (han, word, subword). */
  private readonly familyWeights: Float64Array;
  /** Per-label accumulators reused by every prediction (one model serves one request at a time). */
  private readonly integerSums: Int32Array;
  private readonly floatSums: Float64Array;
  private readonly scratchScores: Float64Array;

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
    let size = 16;
    while (size < parts.vocabulary.length * 2) size *= 2;
    this.slotMask = size - 1;
    this.slots = new Int32Array(size * 4).fill(-1);
    this.slotIdf = new Float32Array(this.slots.buffer);
    let entry = 0;
    for (let row = 0; row < parts.vocabulary.length; row++) {
      let slot = this.slotOf(parts.vocabulary[row] as number);
      while (this.slots[slot * 4] !== -1) slot = (slot + 1) & this.slotMask;
      this.slots[slot * 4] = parts.vocabulary[row] as number;
      this.slots[slot * 4 + 1] = entry;
      entry += parts.weightCounts[row] as number;
      this.slots[slot * 4 + 2] = entry;
      this.slotIdf[slot * 4 + 3] = parts.idf[row] as number;
    }
    this.integerSums = new Int32Array(parts.labels.length);
    this.floatSums = new Float64Array(parts.labels.length);
    this.scratchScores = new Float64Array(parts.labels.length);
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
      // Written field by field, so the bytes do not depend on how the config object was built.
      features: {
        hanNgrams: [...p.features.hanNgrams],
        wordNgrams: p.features.wordNgrams,
        subwordNgrams: [...p.features.subwordNgrams],
        ...(p.features.hanRuns ? { hanRuns: true } : {}),
        ...(p.features.hanAcross ? { hanAcross: true } : {}),
        weights: { ...p.features.weights },
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

  /** How the model was trained (examples, C, max-df, the selection's choice). */
  get training(): ModelParts["training"] {
    return this.parts.training;
  }

  /** Raw decision scores, one per label (in `labels` order). */
  scores(text: string): Float64Array {
    return Float64Array.from(this.score(text));
  }

  /**
   * Scores `text` into `this.scratchScores` (overwritten by the next call) without allocating.
   * Most features occur once with family weight 1: their int8 weights are summed as integers, and
   * only the rest pay for a multiplication.
   */
  private score(text: string): Float64Array {
    const { slots, slotIdf, slotMask, packed, familyWeights, integerSums, floatSums, scratchScores } = this;
    const { bias, classScales } = this.parts;
    integerSums.fill(0);
    floatSums.fill(0);
    scanFeatures(text, this.features);
    const { ids, counts, length } = scanned;
    let squaredNorm = 0;
    for (let i = 0; i < length; i++) {
      const feature = ids[i] as number;
      let slot = this.slotOf(feature);
      let key = slots[slot * 4] as number;
      while (key !== feature && key !== -1) {
        slot = (slot + 1) & slotMask;
        key = slots[slot * 4] as number;
      }
      if (key === -1) continue;
      const count = counts[i] as number;
      const value = (count === 1 ? 1 : 1 + Math.log(count)) * (familyWeights[feature >>> 28] as number);
      // Weights already carry the idf (see quantise in train.ts); the norm needs it explicitly.
      const weighted = value * (slotIdf[slot * 4 + 3] as number);
      squaredNorm += weighted * weighted;
      const start = slots[slot * 4 + 1] as number;
      const end = slots[slot * 4 + 2] as number;
      if (value === 1) {
        for (let k = start; k < end; k++) {
          const entry = packed[k] as number;
          // High byte: the label; low byte: the int8 weight, sign-extended.
          integerSums[entry >> 8] = (integerSums[entry >> 8] as number) + ((entry << 24) >> 24);
        }
      } else {
        for (let k = start; k < end; k++) {
          const entry = packed[k] as number;
          floatSums[entry >> 8] = (floatSums[entry >> 8] as number) + value * ((entry << 24) >> 24);
        }
      }
    }
    const inverseNorm = squaredNorm === 0 ? 0 : 1 / Math.sqrt(squaredNorm);
    for (let label = 0; label < scratchScores.length; label++) {
      const sum = (integerSums[label] as number) + (floatSums[label] as number);
      scratchScores[label] = (bias[label] as number) + sum * (classScales[label] as number) * inverseNorm;
    }
    return scratchScores;
  }

  /** Whether `feature` (an id from features.ts) is in the model's vocabulary. */
  knows(feature: number): boolean {
    const { slots, slotMask } = this;
    let slot = this.slotOf(feature);
    for (let key = slots[slot * 4] as number; key !== -1; key = slots[slot * 4] as number) {
      if (key === feature) return true;
      slot = (slot + 1) & slotMask;
    }
    return false;
  }

  private slotOf(feature: number): number {
    return (Math.imul(feature, 0x9e3779b1) >>> 0) & this.slotMask;
  }

  /** The `top` likeliest labels (all by default) with their calibrated confidences, most likely first. */
  predict(text: string, top = this.labels.length): Scored[] {
    const scores = this.score(text);
    const wanted = Math.min(top, scores.length);
    // Softmax keeps the order of the scores: rank on them, by insertion into a short list (cheaper
    // than sorting every label when only a few are wanted), and normalise only the winners.
    const order: number[] = [];
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < scores.length; i++) {
      const score = scores[i] as number;
      if (score > max) max = score;
      if (order.length === wanted && score <= (scores[order[wanted - 1] as number] as number)) continue;
      let at = order.length;
      while (at > 0 && score > (scores[order[at - 1] as number] as number)) at--;
      order.splice(at, 0, i);
      if (order.length > wanted) order.pop();
    }
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += Math.exp(((scores[i] as number) - max) * this.temperature);
    return order.map((i) => ({
      label: this.labels[i] as string,
      confidence: Math.exp(((scores[i] as number) - max) * this.temperature) / sum,
    }));
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
