import type { Knowledge } from "../content.ts";
import type { Locale } from "../locale.ts";
import { normaliseText } from "../text.ts";
import { redactSecrets, type SecretKind } from "./secrets.ts";
import { verifyContacts } from "./verify.ts";

/** What the safety layer makes of text that the official account is about to say. */
export interface ScreenedText {
  /** Normalised, secrets redacted: the only form stored, sent, announced. */
  text: string;
  /** The kinds of secret that were redacted. */
  secrets: SecretKind[];
  /** Contacts in the text that are not in the registry (lookalikes and unlisted), as written. */
  unofficial: string[];
}

/**
 * product.md §4 for text a person typed on the official account's behalf (an agent's reply): the
 * same normal form and secret firewall as a user's message, and the same registry check as a user's
 * "is this official?", so that a reply naming a contact the registry does not list can be refused.
 * `locale` is the conversation's, which decides how a phone number without "+" is read.
 */
export function screenOutbound(text: string, knowledge: Knowledge, locale: Locale): ScreenedText {
  const redaction = redactSecrets(normaliseText(text));
  const unofficial = verifyContacts(redaction.text, knowledge, locale)
    .filter((check) => check.verdict !== "official")
    .map((check) => check.candidate.raw.trim());
  return { text: redaction.text, secrets: redaction.kinds, unofficial: [...new Set(unofficial)] };
}
