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

/**
 * A feature is a 30-bit number: the family in the top two bits, a 28-bit FNV-1a hash of the gram
 * below. Hashing the characters as they are scanned means no gram string is ever built, which keeps
 * prediction at a few microseconds; within a family of 150k grams about 40 pairs collide, which
 * costs nothing measurable. Numbers below 2^30 stay small integers in V8.
 */
const FAMILIES = ["han", "word", "subword"] as const;
type Family = (typeof FAMILIES)[number];
const FAMILY_BITS: Record<Family, number> = { han: 0, word: 1 << 28, subword: 2 << 28 };
const HASH_MASK = 0x0fffffff;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

const fnv = (hash: number, code: number) => Math.imul(hash ^ code, FNV_PRIME);

/** The id of one gram, computed from its string: what the scanning code computes incrementally. */
export function featureId(family: Family, gram: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < gram.length; i++) hash = fnv(hash, gram.charCodeAt(i));
  return FAMILY_BITS[family] | (hash & HASH_MASK);
}

export function featureFamily(id: number): Family {
  return FAMILIES[id >>> 28] as Family;
}

const TOKEN = /\p{Script=Han}+|[\p{L}\p{M}][\p{L}\p{M}\p{N}'’]*|\p{N}+/gu;
const HAN_RUN = /^\p{Script=Han}/u;
const DIGITS = /^\p{N}+$/u;

/** Counts of every feature in `text` (raw user text; it is normalised here). */
export function extractFeatures(text: string, config: FeatureConfig): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (id: number) => counts.set(id, (counts.get(id) ?? 0) + 1);
  let previousWordHash: number | undefined;
  for (const token of normalizeForFeatures(text).match(TOKEN) ?? []) {
    if (HAN_RUN.test(token)) {
      addHanNgrams(token, config.hanNgrams, add);
      previousWordHash = undefined;
      continue;
    }
    // Digit runs matter by shape, not value: "400 123 4567" and "138…" differ by length only.
    const isNumber = DIGITS.test(token);
    const word = isNumber ? `#${Math.min(token.length, 12)}` : token;
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = fnv(hash, word.charCodeAt(i));
    add(FAMILY_BITS.word | (hash & HASH_MASK));
    if (config.wordNgrams >= 2 && previousWordHash !== undefined) {
      // Continue the previous word's hash over " word": the id of the gram "previous word".
      let bigram = fnv(previousWordHash, SPACE);
      for (let i = 0; i < word.length; i++) bigram = fnv(bigram, word.charCodeAt(i));
      add(FAMILY_BITS.word | (bigram & HASH_MASK));
    }
    if (!isNumber) addSubwordNgrams(token, config.subwordNgrams, add);
    previousWordHash = hash;
  }
  return counts;
}

/** Han n-grams by code point (a rare astral character is one character, two UTF-16 units). */
function addHanNgrams(run: string, [min, max]: readonly [number, number], add: (id: number) => void): void {
  const units: number[][] = [];
  for (const char of run)
    units.push(char.length === 1 ? [char.charCodeAt(0)] : [char.charCodeAt(0), char.charCodeAt(1)]);
  for (let start = 0; start < units.length; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= units.length; n++) {
      for (const code of units[start + n - 1] as number[]) hash = fnv(hash, code);
      if (n >= min) add(FAMILY_BITS.han | (hash & HASH_MASK));
    }
  }
}

/** Character n-grams of " word " (padded, so prefixes and suffixes are features of their own). */
function addSubwordNgrams(
  word: string,
  [min, max]: readonly [number, number],
  add: (id: number) => void,
): void {
  const length = word.length + 2;
  const codeAt = (i: number) => (i === 0 || i === length - 1 ? SPACE : word.charCodeAt(i - 1));
  for (let start = 0; start < length; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= length; n++) {
      hash = fnv(hash, codeAt(start + n - 1));
      if (n >= min) add(FAMILY_BITS.subword | (hash & HASH_MASK));
    }
  }
}
