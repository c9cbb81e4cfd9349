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
