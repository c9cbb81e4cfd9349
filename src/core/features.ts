import { TO_SIMPLIFIED } from "./script-tables.ts";

/** How text becomes features. Stored inside each model so training and prediction always agree. */
export interface FeatureConfig {
  /** Han character n-gram lengths, inclusive (within runs of Han characters, boundaries included). */
  hanNgrams: readonly [number, number];
  /** Longest word n-gram over Latin words (1 = unigrams only). */
  wordNgrams: number;
  /** Character n-gram lengths inside Latin words padded with spaces; robust to typos. */
  subwordNgrams: readonly [number, number];
  /**
   * Each whole run of Han characters (two or more) as one word feature, as a word tokenizer sees a
   * Chinese phrase without spaces: an exact-phrase match that n-grams alone do not carry.
   */
  hanRuns?: boolean | undefined;
  /**
   * Han n-grams over the whole text instead of within Han runs: Latin letters, digits and
   * punctuation join them and spaces are skipped, so "CCTV-12套" or "FM90.8" and "我的top up没到"
   * give grams across the change of script, as a character n-gram baseline sees them. Worth a point
   * of cross-validated accuracy on SMP2017; selection decides per data set.
   */
  hanAcross?: boolean | undefined;
  /** Weight of each feature family before the vector is L2-normalised. */
  weights: { readonly han: number; readonly word: number; readonly subword: number };
}

export const DEFAULT_FEATURES: FeatureConfig = {
  hanNgrams: [1, 2],
  wordNgrams: 2,
  // Adding 2-grams changes no validation figure (BANKING77, SMP2017, product) and costs a fifth
  // more weight entries per message.
  subwordNgrams: [3, 4],
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
  drainInto(ids, counts);
  return { ids, counts };
}

/** Moves the counted features into `ids` and `counts` (long enough) and empties the table. */
function drainInto(ids: Uint32Array, counts: Uint16Array): void {
  for (let i = 0; i < distinct; i++) {
    const slot = used[i] as number;
    ids[i] = keys[slot] as number;
    counts[i] = tally[slot] as number;
    keys[slot] = -1;
  }
  distinct = 0;
}

/**
 * What `scanFeatures` leaves behind: the first `length` entries of `ids` and `counts`. The arrays
 * are reused (and replaced when a longer text needs more room), so read them before the next scan.
 */
export const scanned = { ids: new Uint32Array(2048), counts: new Uint16Array(2048), length: 0 };

/**
 * `extractFeatures` without allocating: the features go to `scanned`. Prediction uses this, so a
 * message leaves no garbage behind and the collector has nothing to pause for.
 */
export function scanFeatures(text: string, config: FeatureConfig): void {
  scan(text, config);
  if (scanned.ids.length < distinct) {
    scanned.ids = new Uint32Array(slots / 2);
    scanned.counts = new Uint16Array(slots / 2);
  }
  scanned.length = distinct;
  drainInto(scanned.ids, scanned.counts);
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
  scan(text, config);
  return drain();
}

/*
 * The scanner: one pass over the text's UTF-16 code units, each unit's class read from a table
 * filled on first sight. No token or gram strings are built: the characters of the current Han run
 * or word go to a small reused buffer and every gram is hashed from there.
 */
const UNSEEN = 0;
const OTHER = 1;
const HAN = 2;
/** A letter or combining mark outside Han: starts or continues a word. */
const LETTER = 3;
const DIGIT = 4;
/** An apostrophe: continues a word ("don't"), never starts one. */
const JOINER = 5;
/** Zero-width characters and soft hyphens: dropped, so they split nothing ("转账\u200b失败"). */
const IGNORED = 6;
/** A UTF-16 high surrogate: the character's class is decided together with its low half. */
const SURROGATE = 7;

const unitClasses = new Uint8Array(0x10000);

function classify(character: string): number {
  if (/^[\u200B-\u200D\u2060\uFEFF\u00AD]$/.test(character)) return IGNORED;
  // Emoji and their modifiers (variation selectors and keycaps are marks) separate words.
  if (/^[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]/u.test(character))
    return OTHER;
  if (/^\p{Script=Han}/u.test(character)) return HAN;
  if (/^[\p{L}\p{M}]/u.test(character)) return LETTER;
  if (/^\p{N}/u.test(character)) return DIGIT;
  if (character === "'" || character === "’") return JOINER;
  return OTHER;
}

/** Classes of astral characters (emoji, rare Han) met so far, by code point. */
const astralClasses = new Map<number, number>();

/** The class of the character at `i`. */
function classAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  let unitClass = unitClasses[code] as number;
  if (unitClass === UNSEEN) {
    unitClass = code >= 0xd800 && code <= 0xdbff ? SURROGATE : classify(String.fromCharCode(code));
    unitClasses[code] = unitClass;
  }
  if (unitClass !== SURROGATE) return unitClass;
  const codePoint = text.codePointAt(i) as number;
  let astral = astralClasses.get(codePoint);
  if (astral === undefined) {
    // A lone high surrogate (no low half) is its own one-unit "character".
    astral = classify(String.fromCodePoint(codePoint));
    if (astralClasses.size < 4096) astralClasses.set(codePoint, astral);
  }
  return astral;
}

/** The current Han run or word, padded with a space each side: a character per entry, with the low half of an astral one. */
let characters = new Uint16Array(256);
let lowHalves = new Uint16Array(256);
let characterCount = 0;

function append(code: number, low: number): void {
  if (characterCount === characters.length) {
    const longer = new Uint16Array(characters.length * 2);
    longer.set(characters);
    characters = longer;
    const longerLows = new Uint16Array(characters.length);
    longerLows.set(lowHalves);
    lowHalves = longerLows;
  }
  characters[characterCount] = code;
  lowHalves[characterCount++] = low;
}

/**
 * Appends the run of `kind` (HAN, LETTER or DIGIT) that starts at `i` and returns where it ends.
 * Han is stored in Simplified form; a word's astral letter is stored as its two code units.
 */
function collect(text: string, i: number, kind: number): number {
  let at = i;
  while (at < text.length) {
    const next = classAt(text, at);
    const astral = unitClasses[text.charCodeAt(at)] === SURROGATE;
    if (next === IGNORED) {
      at++;
      continue;
    }
    const belongs = kind === LETTER ? next === LETTER || next === DIGIT || next === JOINER : next === kind;
    if (!belongs) break;
    const code = text.charCodeAt(at);
    if (kind === HAN) {
      if (astral) append(code, text.charCodeAt(at + 1));
      else append((TO_SIMPLIFIED[code] as number) || code, 0);
    } else {
      append(code, 0);
      if (astral) append(text.charCodeAt(at + 1), 0);
    }
    at += astral ? 2 : 1;
  }
  return at;
}

/** Continues `hash` over "#<length>" (at most 12): the word that stands for a run of digits. */
function hashDigitShape(hash: number, length: number): number {
  const shape = Math.min(length, 12);
  let result = fnv(hash, 0x23);
  if (shape >= 10) result = fnv(result, 0x30 + Math.floor(shape / 10));
  return fnv(result, 0x30 + (shape % 10));
}

/** Counts the features of `text` into the table. */
function scan(text: string, config: FeatureConfig): void {
  const normalised = text.normalize("NFKC").toLowerCase();
  if (config.hanAcross) {
    // The whole text as one padded run (a text longer than the buffer grows it, as a long word does).
    characterCount = 0;
    append(SPACE, 0);
    for (let k = 0; k < normalised.length; k++) {
      const code = normalised.charCodeAt(k);
      if (code === SPACE) continue;
      append((TO_SIMPLIFIED[code] as number) || code, 0);
    }
    append(SPACE, 0);
    addHanNgrams(config.hanNgrams);
  }
  let previousWordHash = -1;
  let i = 0;
  while (i < normalised.length) {
    const kind = classAt(normalised, i);
    if (kind !== HAN && kind !== LETTER && kind !== DIGIT) {
      i += unitClasses[normalised.charCodeAt(i)] === SURROGATE ? 2 : 1;
      continue;
    }
    characterCount = 0;
    append(SPACE, 0);
    i = collect(normalised, i, kind);
    append(SPACE, 0);
    if (kind === HAN) {
      if (!config.hanAcross) addHanNgrams(config.hanNgrams);
      if (config.hanRuns && characterCount > 3) addHanRun();
      previousWordHash = -1;
      continue;
    }
    // Digit runs matter by shape, not value: "400 123 4567" and "138…" differ by length only.
    const wordLength = characterCount - 2;
    let hash = FNV_OFFSET;
    if (kind === DIGIT) hash = hashDigitShape(hash, wordLength);
    else for (let k = 1; k <= wordLength; k++) hash = fnv(hash, characters[k] as number);
    push(FAMILY_BITS.word | (hash & HASH_MASK));
    if (config.wordNgrams >= 2 && previousWordHash !== -1) {
      // Continue the previous word's hash over " word": the id of the gram "previous word".
      let bigram = fnv(previousWordHash, SPACE);
      if (kind === DIGIT) bigram = hashDigitShape(bigram, wordLength);
      else for (let k = 1; k <= wordLength; k++) bigram = fnv(bigram, characters[k] as number);
      push(FAMILY_BITS.word | (bigram & HASH_MASK));
    }
    if (kind === LETTER) addSubwordNgrams(config.subwordNgrams);
    previousWordHash = hash;
  }
}

/**
 * Han n-grams by character over the padded run, so that what a run starts or ends with is a feature
 * of its own ("打开…", "…怎么办"): worth about a point on SMP2017.
 */
function addHanNgrams(range: readonly [number, number]): void {
  const [min, max] = range;
  for (let start = 0; start < characterCount; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= characterCount; n++) {
      const k = start + n - 1;
      hash = fnv(hash, characters[k] as number);
      const low = lowHalves[k] as number;
      if (low !== 0) hash = fnv(hash, low);
      // A lone boundary space is not a feature.
      if (n >= min && !(n === 1 && characters[k] === SPACE)) push(FAMILY_BITS.han | (hash & HASH_MASK));
    }
  }
}

/** The whole Han run (without its padding) as a word feature. */
function addHanRun(): void {
  let hash = FNV_OFFSET;
  for (let k = 1; k < characterCount - 1; k++) {
    hash = fnv(hash, characters[k] as number);
    const low = lowHalves[k] as number;
    if (low !== 0) hash = fnv(hash, low);
  }
  push(FAMILY_BITS.word | (hash & HASH_MASK));
}

/** Character n-grams of the padded word (so prefixes and suffixes are features of their own). */
function addSubwordNgrams(range: readonly [number, number]): void {
  const [min, max] = range;
  for (let start = 0; start < characterCount; start++) {
    let hash = FNV_OFFSET;
    for (let n = 1; n <= max && start + n <= characterCount; n++) {
      hash = fnv(hash, characters[start + n - 1] as number);
      if (n >= min) push(FAMILY_BITS.subword | (hash & HASH_MASK));
    }
  }
}
