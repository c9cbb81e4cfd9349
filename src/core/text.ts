import { TO_SIMPLIFIED } from "./script-tables.ts";

/**
 * The one normal form of text that Guardline stores or sends, whoever wrote it (a user on any
 * platform, an agent in the console or the agents' group):
 * - lone surrogates (valid in JSON, not in UTF-8) become U+FFFD, so the store never refuses the text;
 * - line breaks become "\n", and control characters other than tab and line break are dropped;
 * - bidirectional overrides and isolates are dropped, so no text can display in an order that hides
 *   what it says (a reversed URL, a number that reads differently);
 * - the result is in Unicode NFC, so the same words are the same string.
 */
export function normaliseText(text: string): string {
  return text
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(BIDI_CONTROL, "")
    .normalize("NFC");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /(?![\t\n])\p{Cc}/gu;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text as compared, never as shown: lower case, compatibility forms folded (full-width letters and
 * digits), Traditional characters as Simplified, so "怎麼提現" and "怎么提现" are the same words.
 */
export function comparableText(text: string): string {
  const folded = normaliseText(text).normalize("NFKC").toLowerCase();
  let out = "";
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i);
    out += String.fromCharCode((TO_SIMPLIFIED[code] as number) || code);
  }
  return out;
}

/**
 * The identity of a short text for duplicate checks: `comparableText` without spacing, punctuation
 * or symbols, so "How do I withdraw?" and "how do i withdraw" are one (content-checks' rule for
 * utterances, with the scripts folded too).
 */
export function textKey(text: string): string {
  return comparableText(text).replace(/[\s\p{P}\p{S}]+/gu, "");
}
