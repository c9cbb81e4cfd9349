import type { Contact, Knowledge, MessageKey } from "../content.ts";
import type { Locale } from "../locale.ts";
import { render } from "../render.ts";
import type { Action, Button } from "../reply.ts";
import type { ContactKind } from "./contact-forms.ts";
import { scamSignals } from "./scam-signals.ts";
import type { SecretKind } from "./secrets.ts";
import { type ContactCheck, type Verdict, verifyContacts } from "./verify.ts";

/**
 * The replies that protect the user, decided before (and above) any FAQ answer: a warning when the
 * message carried a secret, an urgent warning and handoff on scam signals, and a verdict for every
 * contact the user pasted. Contacts in these replies come from the registry only; the user's own
 * contact is never repeated ("the number you sent"). `afterSuspectContact` (a recent message named a
 * contact the registry does not list) makes looser wordings scam cues (src/core/safety/scam-signals.ts).
 */
export function protect(
  text: string,
  secrets: readonly SecretKind[],
  locale: Locale,
  knowledge: Knowledge,
  feedbackButtons: Button[],
  context: { afterSuspectContact?: boolean; aboutContact?: boolean } = {},
): Protection {
  const actions: Action[] = [];
  if (secrets.length > 0) {
    actions.push(secretWarning(secrets, locale, knowledge));
    actions.push({ type: "flag", reason: "secret_shared" });
  }
  const checks = uniqueChecks(verifyContacts(text, knowledge, locale));
  // A lookalike is suspect wherever it appears; an unlisted contact only when the message is about
  // it ("is this your number?"), not the user's own e-mail or phone given to an agent.
  const aboutUnlisted = context.aboutContact === true && !OWN_DETAILS.test(text.normalize("NFKC"));
  const suspectContact = checks.some(
    (c) => c.verdict === "lookalike" || (c.verdict === "unlisted" && aboutUnlisted),
  );
  const afterSuspectContact = suspectContact || context.afterSuspectContact === true;
  if (scamSignals(text, { afterSuspectContact }).length > 0) {
    actions.push({ type: "reply", reply: { text: say(knowledge, locale, "scamWarning") } });
    actions.push({ type: "handoff", priority: "urgent", reason: "scam_signal" });
  }
  if (checks.length > 0) {
    const lines = checks.map((c) => verdictLine(c, locale, knowledge));
    actions.push({ type: "reply", reply: { text: lines.join("\n\n"), buttons: feedbackButtons } });
  }
  return { actions, suspectContact, verdicts: checks.map((c) => c.verdict) };
}

/** The user giving their own details ("my email is …", "reach me at …", "我的手机号 …"). */
const OWN_DETAILS =
  /\b(?:my|me)\b[^.!?\n]{0,20}\b(?:e-?mail|phone|number|mobile|whatsapp|telegram|wechat|address)\b|\b(?:reach|contact|call|text|email) me\b|我的(?:手机|手機|电话|電話|邮箱|郵箱|号码|號碼|微信|联系方式|聯絡方式)|(?:联系|聯絡|聯繫|打给|打給)我/iu;

export interface Protection {
  actions: Action[];
  /** The message named a lookalike, or asked about or reported an unlisted contact. */
  suspectContact: boolean;
  /** The verdict of every distinct contact the message named. */
  verdicts: Verdict[];
}

const ADVICE: Record<SecretKind, MessageKey> = {
  mnemonic: "secretMnemonic",
  private_key: "secretPrivateKey",
  card: "secretCard",
  code: "secretCode",
  password: "secretPassword",
};

/** The warning for a message that carried secrets; also sent while an agent holds the conversation. */
export function secretWarning(secrets: readonly SecretKind[], locale: Locale, knowledge: Knowledge): Action {
  const advice = secrets.map((kind) => `• ${say(knowledge, locale, ADVICE[kind])}`);
  return { type: "reply", reply: { text: [say(knowledge, locale, "secretWarning"), ...advice].join("\n") } };
}

/** One verdict per distinct contact, at most five, so a pasted list cannot flood the reply. */
function uniqueChecks(checks: ContactCheck[]): ContactCheck[] {
  const seen = new Set<string>();
  return checks
    .filter((c) => {
      const key = `${c.candidate.kind}:${c.candidate.raw.toLowerCase().replace(/\s+/g, "")}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, 5);
}

const KIND_WORD: Record<ContactKind, MessageKey> = {
  phone: "contactKindPhone",
  url: "contactKindUrl",
  email: "contactKindEmail",
  handle: "contactKindHandle",
  qq: "contactKindQq",
  wechat: "contactKindWechat",
};

function verdictLine(check: ContactCheck, locale: Locale, knowledge: Knowledge): string {
  const kind = say(knowledge, locale, KIND_WORD[check.candidate.kind]);
  const version = knowledge.contacts.version;
  if (check.verdict === "official" && check.contact) {
    return say(knowledge, locale, "contactOfficial", {
      kind,
      official: describe(check.contact, locale),
      version,
    });
  }
  const alternatives = officialAlternatives(check, locale, knowledge);
  if (check.verdict === "lookalike" && check.contact) {
    const imitated = check.contact.label[locale];
    return say(knowledge, locale, "contactLookalike", { kind, imitated, alternatives, version });
  }
  return say(knowledge, locale, "contactUnlisted", { kind, alternatives, version });
}

/**
 * "Use an official one instead: <label> <value>, …": the official contacts of the same kind (and
 * platform, for handles); for QQ, which we do not use, the main ones. The label names the kind, so
 * the sentence does not ("Official website: Official website …").
 */
function officialAlternatives(check: ContactCheck, locale: Locale, knowledge: Knowledge): string {
  const contacts = knowledge.contacts.contacts;
  const { kind, platform } = check.candidate;
  const same = contacts.filter((c) => {
    if (kind === "phone" || kind === "email") return c.kind === kind;
    if (kind === "url") return c.kind === "url" && c.platform === undefined;
    if (kind === "wechat") return c.kind === "handle" && c.platform === "wechat";
    if (kind === "handle") return c.kind === "handle" && (!platform || c.platform === platform);
    return false;
  });
  const separator = knowledge.messages.listSeparator[locale];
  const list = (entries: Contact[]) => entries.map((c) => describe(c, locale)).join(separator);
  if (same.length > 0) return say(knowledge, locale, "contactAlternatives", { alternatives: list(same) });
  const main = contacts.filter((c) => c.id === "website" || c.id === "hotline");
  return say(knowledge, locale, "contactNoAlternative", { alternatives: list(main) });
}

function describe(contact: Contact, locale: Locale): string {
  return `${contact.label[locale]} ${contact.value}`;
}

function say(
  knowledge: Knowledge,
  locale: Locale,
  key: MessageKey,
  values: Record<string, string> = {},
): string {
  return render(knowledge.messages[key][locale], knowledge, locale, values);
}
