import { normalizeForFeatures } from "./normalize.ts";

/** How text becomes features. Stored inside each model so training and prediction always agree. */
export interface FeatureConfig {
  /** Han character n-gram lengths, inclusive (within runs of Han characters). */
  hanNgrams: readonly [number, number];
  /** Longest word n-gram over Latin words (1 = unigrams only). */
  wordNgrams: number;
  /** Character n-gram lengths inside Latin words padded with spaces; robust to typos. */
  subwordNgrams: readonly [number, number];
  /** Weight of each feature family before the vector is L2-normalised. */
  weights: { readonly han: number; readonly word: number; readonly subword: number };
}

export const DEFAULT_FEATURES: FeatureConfig = {
  hanNgrams: [1, 3],
  wordNgrams: 2,
  subwordNgrams: [2, 5],
  weights: { han: 1, word: 1, subword: 1 },
};

/** Feature-family prefixes: a feature name is prefix + gram, so families never collide. */
const HAN = "h";
const WORD = "w";
const SUBWORD = "s";

const TOKEN = /\p{Script=Han}+|[\p{L}\p{M}][\p{L}\p{M}\p{N}'’]*|\p{N}+/gu;
const HAN_RUN = /^\p{Script=Han}/u;
const DIGITS = /^\p{N}+$/u;

/** Counts of every feature in `text` (raw user text; it is normalised here). */
export function extractFeatures(text: string, config: FeatureConfig): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  let previousWord: string | undefined;
  for (const token of normalizeForFeatures(text).match(TOKEN) ?? []) {
    if (HAN_RUN.test(token)) {
      addHanNgrams(token, config.hanNgrams, add);
      previousWord = undefined;
      continue;
    }
    // Digit runs matter by shape, not value: "400 123 4567" and "138…" differ by length only.
    const word = DIGITS.test(token) ? `#${Math.min(token.length, 12)}` : token;
    add(`${WORD}${word}`);
    if (config.wordNgrams >= 2 && previousWord !== undefined) add(`${WORD}${previousWord} ${word}`);
    if (!DIGITS.test(token)) addSubwordNgrams(token, config.subwordNgrams, add);
    previousWord = word;
  }
  return counts;
}

function addHanNgrams(run: string, [min, max]: readonly [number, number], add: (f: string) => void): void {
  const chars = [...run];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) add(HAN + chars.slice(i, i + n).join(""));
  }
}

function addSubwordNgrams(
  word: string,
  [min, max]: readonly [number, number],
  add: (f: string) => void,
): void {
  const padded = ` ${word} `;
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= padded.length; i++) add(SUBWORD + padded.slice(i, i + n));
  }
}

/** Which weight family a feature belongs to. */
export function featureFamily(feature: string): keyof FeatureConfig["weights"] {
  const prefix = feature[0];
  if (prefix === HAN) return "han";
  if (prefix === SUBWORD) return "subword";
  return "word";
}
