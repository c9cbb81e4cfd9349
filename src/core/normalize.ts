import { TO_SIMPLIFIED } from "./script-tables.ts";

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]/gu;
const WHITESPACE = /\s+/gu;

/**
 * Canonical text for features: NFKC (full-width letters, digits and punctuation become ASCII),
 * case folding, Traditional → Simplified, emoji and invisible characters removed, whitespace collapsed.
 * Never used for replies: the user's own script decides the reply language.
 */
export function normalizeForFeatures(text: string): string {
  const folded = text.normalize("NFKC").replace(ZERO_WIDTH, "").replace(PICTOGRAPHS, " ").toLowerCase();
  return traditionalToSimplified(folded).replace(WHITESPACE, " ").trim();
}

/** Traditional → Simplified, character by character (帳號 → 帐号); everything else unchanged. */
export function traditionalToSimplified(text: string): string {
  let result = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const simplified = TO_SIMPLIFIED[text.charCodeAt(i)] as number;
    if (simplified === 0) continue;
    result += text.slice(copied, i) + String.fromCharCode(simplified);
    copied = i + 1;
  }
  return copied === 0 ? text : result + text.slice(copied);
}
