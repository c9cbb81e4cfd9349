import { ConverterFactory } from "opencc-js/core";
import TSCharacters from "opencc-js/dict/TSCharacters";
import TSPhrases from "opencc-js/dict/TSPhrases";
import TWPhrasesRev from "opencc-js/dict/TWPhrasesRev";

/**
 * Traditional → Simplified, with Taiwan vocabulary mapped to mainland words (軟體 → 软件), so that
 * both scripts produce the same features. Only the small character and phrase tables are loaded:
 * the full OpenCC dictionary set is ~2 MB and would slow every cold start. TWVariantsRev is left out
 * on purpose: it rewrites characters that are also everyday Simplified (吃 → 喫, 才 → 纔, 么 → 幺).
 */
const toSimplified = ConverterFactory([TWPhrasesRev], [TSPhrases, TSCharacters]);

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]/gu;
const WHITESPACE = /\s+/gu;
const HAN = /\p{Script=Han}/u;

/**
 * Canonical text for features: NFKC (full-width letters, digits and punctuation become ASCII),
 * case folding, Traditional → Simplified, emoji and invisible characters removed, whitespace collapsed.
 * Never used for replies: the user's own script decides the reply language.
 */
export function normalizeForFeatures(text: string): string {
  const folded = text.normalize("NFKC").replace(ZERO_WIDTH, "").replace(PICTOGRAPHS, " ").toLowerCase();
  // The OpenCC pass walks a trie per character: skip it when there is nothing Chinese to convert.
  const simplified = HAN.test(folded) ? toSimplified(folded) : folded;
  return simplified.replace(WHITESPACE, " ").trim();
}

/** Only Traditional → Simplified, for callers that have already normalised the text otherwise. */
export function traditionalToSimplified(text: string): string {
  return toSimplified(text);
}
