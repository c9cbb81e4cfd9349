import type { ZodMiniType } from "zod/mini";
import { safeParse } from "../validate.ts";
import {
  type CannedRepliesFile,
  type ContactsFile,
  cannedRepliesFileSchema,
  contactsFileSchema,
  type HoursFile,
  hoursFileSchema,
  type IntentFile,
  intentFileSchema,
  type Knowledge,
  type MessagesFile,
  messagesFileSchema,
} from "./content.ts";
import { INTENTS, type IntentId } from "./intents.ts";
import { LOCALES } from "./locale.ts";
import { templateFields } from "./render.ts";
import { type RegistrySignature, registrySignatureSchema } from "./safety/registry-signature.ts";
import { compileEntry } from "./safety/verify.ts";

/** A content file as read from disk: its path (for messages) and its parsed YAML. */
export interface ContentFile {
  path: string;
  data: unknown;
}

export interface ContentSet {
  intents: ContentFile[];
  contacts: ContentFile;
  /** content/contacts.signature.yaml, when the operator has signed the registry. */
  contactsSignature?: ContentFile;
  hours: ContentFile;
  messages: ContentFile;
  cannedReplies: ContentFile;
}

export interface CheckedContent {
  knowledge: Knowledge;
  examples: { text: string; label: IntentId }[];
}

/** The topics offered by the greeting menu, in order. */
export const MENU: readonly IntentId[] = [
  "password_reset",
  "transfer_failed",
  "topup_missing",
  "withdraw_delayed",
  "contact_support",
  "verify_contact",
];

/** Contact-like literals that must never appear in answer text: they belong in contacts.yaml. */
const LITERAL_CONTACT =
  /https?:|www\.|[\w.+-]+@[\w-]+\.|(?<![{\w])@\w{3,}|\b[\w-]+\.(com|net|org|io|cn|hk|tw)\b|\d[\d\s-]{6,}\d/i;
const SECRET =
  "(password|passcode|pin|code|otp|seed|seed phrase|recovery phrase|mnemonic|private key|card number)";
const SECRET_ZH = "(密码|密碼|验证码|驗證碼|助记词|助記詞|私钥|私鑰|卡号|卡號)";
const SECRET_REQUEST = new RegExp(
  [
    `(send|give|tell|provide|share|enter|type|reply with|paste)\\s+(it\\s+)?(to\\s+)?(us|me|here)\\s+(with\\s+)?(your\\s+)?${SECRET}`,
    `(send|give|tell|provide|share|reply with|paste)\\s+(your|the)\\s+${SECRET}\\s+(to\\s+)?(us|me|here)`,
    `what('s|\\s+is)\\s+your\\s+${SECRET}`,
    `(发|發|告诉|告訴|提供|给|給|回复|回覆)(我们|我們|我|客服)(你的)?${SECRET_ZH}`,
    `(把|将|將)(你的)?${SECRET_ZH}(发|發|告诉|告訴|提供|给|給|回复|回覆)(我们|我們|我|客服)`,
  ].join("|"),
  "i",
);

/** Fields a dialogue string may use besides {{brand}}, {{hours}} and {{contact:<id>}}. */
const MESSAGE_FIELDS = new Set([
  "topic",
  "day",
  "kind",
  "official",
  "imitated",
  "alternatives",
  "version",
  "position",
  "reopen",
]);

/**
 * Validates every content file and the rules that span files. Throws one error that lists every
 * problem, each naming its file and entry, so an operator can fix them all in one pass.
 */
export function checkContent(set: ContentSet): CheckedContent {
  const problems: string[] = [];
  const parse = <T>(schema: ZodMiniType<T>, file: ContentFile): T | undefined => {
    const result = safeParse(schema, file.data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      problems.push(`${file.path}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    return undefined;
  };
  const contacts = parse<ContactsFile>(contactsFileSchema, set.contacts);
  const signature = set.contactsSignature
    ? parse<RegistrySignature>(registrySignatureSchema, set.contactsSignature)
    : undefined;
  const hours = parse<HoursFile>(hoursFileSchema, set.hours);
  const messages = parse<MessagesFile>(messagesFileSchema, set.messages);
  const canned = parse<CannedRepliesFile>(cannedRepliesFileSchema, set.cannedReplies);
  const intents = new Map<IntentId, IntentFile>();
  for (const file of set.intents) {
    const intent = parse<IntentFile>(intentFileSchema, file);
    if (!intent) continue;
    const expected = `${intent.id}.yaml`;
    if (!file.path.endsWith(expected))
      problems.push(`${file.path}: id "${intent.id}" must live in ${expected}`);
    if (intents.has(intent.id)) problems.push(`${file.path}: intent "${intent.id}" is defined twice`);
    intents.set(intent.id, intent);
  }
  for (const id of INTENTS) {
    if (!intents.has(id)) problems.push(`content/intents/${id}.yaml: missing (every intent needs a file)`);
  }
  checkContacts(contacts, set.contacts.path, problems);
  checkUtterances(set.intents, intents, problems);
  const contactIds = new Set(contacts?.contacts.map((c) => c.id));
  checkAnswers(set.intents, intents, contactIds, problems);
  if (messages) checkMessages(messages, set.messages.path, contactIds, problems);
  for (const reply of canned?.replies ?? []) {
    for (const locale of LOCALES) {
      const where = `${set.cannedReplies.path}: ${reply.id}.${locale}`;
      problems.push(...textProblems(reply.text[locale], where, contactIds, new Set()));
    }
  }

  if (problems.length > 0 || !contacts || !hours || !messages || !canned) {
    throw new Error(`content/ has ${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
  }
  const knowledge: Knowledge = {
    intents: Object.fromEntries(
      [...intents].map(([id, i]) => [id, { label: i.label, answer: i.answer }]),
    ) as Knowledge["intents"],
    menu: [...MENU],
    contacts,
    ...(signature ? { contactsSignature: signature } : {}),
    hours,
    messages,
    cannedReplies: canned.replies,
  };
  const examples = [...intents.values()].flatMap((i) => i.utterances.map((text) => ({ text, label: i.id })));
  return { knowledge, examples };
}

function checkContacts(contacts: ContactsFile | undefined, path: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const contact of contacts?.contacts ?? []) {
    if (seen.has(contact.id)) problems.push(`${path}: contact id "${contact.id}" is used twice`);
    seen.add(contact.id);
    try {
      compileEntry(contact);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
}

/** Dialogue strings: known fields only, no literal contact, never a request for a secret. */
function checkMessages(
  messages: MessagesFile,
  path: string,
  contactIds: Set<string>,
  problems: string[],
): void {
  for (const [key, texts] of Object.entries(messages)) {
    for (const locale of LOCALES) {
      const where = `${path}: ${key}.${locale}`;
      problems.push(...textProblems(texts[locale], where, contactIds, MESSAGE_FIELDS));
    }
  }
}

function textProblems(text: string, where: string, contactIds: Set<string>, fields: Set<string>): string[] {
  const problems: string[] = [];
  for (const field of templateFields(text)) {
    const [name, argument] = field.split(":");
    const known =
      name === "brand" ||
      name === "hours" ||
      (name === "contact" && argument !== undefined && contactIds.has(argument)) ||
      (argument === undefined && name !== undefined && fields.has(name));
    if (!known) problems.push(`${where}: unknown template field {{${field}}}`);
  }
  const literal = text.replace(/\{\{[^}]*\}\}/g, "").match(LITERAL_CONTACT);
  if (literal) problems.push(`${where}: literal contact "${literal[0]}" (use a {{contact:…}} field)`);
  const request = text.match(SECRET_REQUEST);
  if (request) problems.push(`${where}: asks the user for a secret ("${request[0]}")`);
  return problems;
}

/** Utterance identity for duplicate checks: case, width, spacing and punctuation do not count. */
function utteranceKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, "");
}

function checkUtterances(files: ContentFile[], intents: Map<IntentId, IntentFile>, problems: string[]): void {
  const owner = new Map<string, { id: IntentId; text: string }>();
  for (const intent of intents.values()) {
    const path = files.find((f) => f.path.endsWith(`${intent.id}.yaml`))?.path ?? intent.id;
    for (const text of intent.utterances) {
      const key = utteranceKey(text);
      const first = owner.get(key);
      if (!first) owner.set(key, { id: intent.id, text });
      else if (first.id === intent.id) problems.push(`${path}: utterance "${text}" is listed twice`);
      else problems.push(`${path}: utterance "${text}" is also in ${first.id}.yaml ("${first.text}")`);
    }
  }
}

function checkAnswers(
  files: ContentFile[],
  intents: Map<IntentId, IntentFile>,
  contactIds: Set<string>,
  problems: string[],
): void {
  for (const intent of intents.values()) {
    const path = files.find((f) => f.path.endsWith(`${intent.id}.yaml`))?.path ?? intent.id;
    for (const locale of LOCALES) {
      problems.push(
        ...textProblems(intent.answer[locale], `${path}: answer.${locale}`, contactIds, new Set()),
      );
    }
  }
}
