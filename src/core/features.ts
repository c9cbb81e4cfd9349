import { normalizeForFeatures } from "./normalize.ts";

/** How text becomes features. Stored inside each model so training and prediction always agree. */
export interface FeatureConfig {
  /** Han character n-gram lengths, inclusive (within runs of Han characters, boundaries included). */
  hanNgrams: readonly [number, number];
  /** Longest word n-gram over Latin words (1 = unigrams only). */
  wordNgrams: number;
  /** Character n-gram lengths inside Latin words padded with spaces; robust to typos. */
  subwordNgrams: readonly [number, number];
  /** Weight of each feature family before the vector is L2-normalised. */
  weights: { readonly han: number; readonly word: number; readonly subword: number };
}

export const DEFAULT_FEATURES: FeatureConfig = {
  hanNgrams: [1, 2],
  wordNgrams: 2,
  subwordNgrams: [2, 4],
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
const ASTRAL = /[\uD800-\uDBFF]/;

/** The distinct features of a text, in first-seen order, with how often each occurs. */
export interface FeatureCounts {
  ids: Uint32Array;
  counts: Uint16Array;
}

/*
 * Counting for one text at a time in an open-addressing table reused across calls: no Map and no
 * sort per message, which matters when a message has hundreds of grams. Plain module state and
 * functions, not a class: measured ~2x faster in this hot loop.
 */
let slots = 4096;
let keys = new Int32Array(slots).fill(-1);
let tally = new Uint16Array(slots);
let used = new Int32Array(slots / 2);
let distinct = 0;

function push(id: number): void {
  const mask = slots - 1;
  let slot = (Math.imul(id, 0x9e3779b1) >>> 0) & mask;
  for (;;) {
    const key = keys[slot] as number;
    if (key === id) {
      if ((tally[slot] as number) < 0xffff) tally[slot] = (tally[slot] as number) + 1;
      return;
    }
    if (key === -1) break;
    slot = (slot + 1) & mask;
  }
  keys[slot] = id;
  tally[slot] = 1;
  used[distinct++] = slot;
  if (distinct === slots / 2) grow();
}

/** The counted features (in first-seen order), leaving the table empty for the next text. */
function drain(): FeatureCounts {
  const ids = new Uint32Array(distinct);
  const counts = new Uint16Array(distinct);
  for (let i = 0; i < distinct; i++) {
    const slot = used[i] as number;
    ids[i] = keys[slot] as number;
    counts[i] = tally[slot] as number;
    keys[slot] = -1;
  }
  distinct = 0;
  return { ids, counts };
}

/** Doubles the table (kept at most half full) for unusually long texts. */
function grow(): void {
  const { ids, counts } = drain();
  slots *= 2;
  keys = new Int32Array(slots).fill(-1);
  tally = new Uint16Array(slots);
  used = new Int32Array(slots / 2);
  ids.forEach((id, i) => {
    for (let n = 0; n < (counts[i] as number); n++) push(id);
  });
}

/** Every feature of `text` (raw user text; it is normalised here), counted. */
export function extractFeatures(text: string, config: FeatureConfig): FeatureCounts {
  let previousWordHash: number | undefined;
  for (const token of normalizeForFeatures(text).match(TOKEN) ?? []) {
    if (HAN_RUN.test(token)) {
      addHanNgrams(token, config.hanNgrams);
      previousWordHash = undefined;
      continue;
    }
    // Digit runs matter by shape, not value: "400 123 4567" and "138…" differ by length only.
    const isNumber = DIGITS.test(token);
    const word = isNumber ? `#${Math.min(token.length, 12)}` : token;
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = fnv(hash, word.charCodeAt(i));
    push(FAMILY_BITS.word | (hash & HASH_MASK));
    if (config.wordNgrams >= 2 && previousWordHash !== undefined) {
      // Continue the previous word's hash over " word": the id of the gram "previous word".
      let bigram = fnv(previousWordHash, SPACE);
      for (let i = 0; i < word.length; i++) bigram = fnv(bigram, word.charCodeAt(i));
      push(FAMILY_BITS.word | (bigram & HASH_MASK));
    }
    if (!isNumber) addSubwordNgrams(token, config.subwordNgrams);
    previousWordHash = hash;
  }
  return drain();
}

/**
 * Han n-grams by code point over the run padded with a space on each side, so that what a run starts
 * or ends with is a feature of its own ("打开…", "…怎么办"): worth about a point on SMP2017.
 */
function addHanNgrams(run: string, range: readonly [number, number]): void {
  const min = range[0];
  const max = range[1];
  const units = ASTRAL.test(run) ? [" ", ...run, " "] : ` ${run} `;
  for (let start = 0; start < units.length; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= units.length; n++) {
      const unit = units[start + n - 1] as string;
      hash = fnv(hash, unit.charCodeAt(0));
      if (unit.length === 2) hash = fnv(hash, unit.charCodeAt(1));
      // A lone boundary space is not a feature.
      if (n >= min && !(n === 1 && unit === " ")) push(FAMILY_BITS.han | (hash & HASH_MASK));
    }
  }
}

/** Character n-grams of " word " (padded, so prefixes and suffixes are features of their own). */
function addSubwordNgrams(word: string, range: readonly [number, number]): void {
  const min = range[0];
  const max = range[1];
  const padded = ` ${word} `;
  for (let start = 0; start < padded.length; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= padded.length; n++) {
      hash = fnv(hash, padded.charCodeAt(start + n - 1));
      if (n >= min) push(FAMILY_BITS.subword | (hash & HASH_MASK));
    }
  }
}
