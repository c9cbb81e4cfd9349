import { contactSpans } from "./safety/extract.ts";
import { redactSecrets } from "./safety/secrets.ts";
import { normaliseText } from "./text.ts";

/** What stands for a contact the user wrote (phone, e-mail, link or domain, handle, QQ, WeChat id). */
export const CONTACT_PLACEHOLDER = "[contact]";

/**
 * A stored user message made fit for the misses list, which operators read and which feeds training
 * suggestions: no secret and no contact of the user's. Stored text has its secrets replaced already;
 * they are redacted again in case a message was stored before a detector learnt a new form, and once
 * more at the end, because a contact cut out may have been the context that made digits harmless
 * ("交易編號（TxID）：<64 hex digits>" reads as a private key without "TxID"). Every contact goes,
 * official ones too: the list is about what was asked, not who asked it.
 */
export function missText(text: string): string {
  const redacted = redactSecrets(normaliseText(text)).text;
  let out = "";
  let at = 0;
  for (const span of contactSpans(redacted)) {
    // Spans never overlap and come in order; a guard all the same, so no text is written twice.
    if (span.start < at) continue;
    out += redacted.slice(at, span.start) + CONTACT_PLACEHOLDER;
    at = span.end;
  }
  return redactSecrets(out + redacted.slice(at)).text;
}
