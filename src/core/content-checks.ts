import type { ZodType } from "zod";
import {
  type ContactsFile,
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

/** A content file as read from disk: its path (for messages) and its parsed YAML. */
export interface ContentFile {
  path: string;
  data: unknown;
}

export interface ContentSet {
  intents: ContentFile[];
  contacts: ContentFile;
  hours: ContentFile;
  messages: ContentFile;
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
const SECRET_REQUEST =
  /(send|give|tell|provide|share|enter|type)\s+(us|me)\s+(your\s+)?(password|pin|code|otp|seed|recovery phrase|private key|card number)|(发|告诉|提供|给)(我们|我)(你的)?(密码|验证码|助记词|私钥|卡号)|(發|告訴|提供|給)(我們|我)(你的)?(密碼|驗證碼|助記詞|私鑰|卡號)/i;

/**
 * Validates every content file and the rules that span files. Throws one error that lists every
 * problem, each naming its file and entry, so an operator can fix them all in one pass.
 */
export function checkContent(set: ContentSet): CheckedContent {
  const problems: string[] = [];
  const parse = <T>(schema: ZodType<T>, file: ContentFile): T | undefined => {
    const result = schema.safeParse(file.data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      problems.push(`${file.path}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    return undefined;
  };
  const contacts = parse<ContactsFile>(contactsFileSchema, set.contacts);
  const hours = parse<HoursFile>(hoursFileSchema, set.hours);
  const messages = parse<MessagesFile>(messagesFileSchema, set.messages);
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
  checkAnswers(set.intents, intents, new Set(contacts?.contacts.map((c) => c.id)), problems);

  if (problems.length > 0 || !contacts || !hours || !messages) {
    throw new Error(`content/ has ${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
  }
  const knowledge: Knowledge = {
    intents: Object.fromEntries(
      [...intents].map(([id, i]) => [id, { label: i.label, answer: i.answer }]),
    ) as Knowledge["intents"],
    menu: [...MENU],
    contacts,
    hours,
    messages,
  };
  const examples = [...intents.values()].flatMap((i) => i.utterances.map((text) => ({ text, label: i.id })));
  return { knowledge, examples };
}

function checkContacts(contacts: ContactsFile | undefined, path: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const contact of contacts?.contacts ?? []) {
    if (seen.has(contact.id)) problems.push(`${path}: contact id "${contact.id}" is used twice`);
    seen.add(contact.id);
  }
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
      const text = intent.answer[locale];
      const where = `${path}: answer.${locale}`;
      for (const field of templateFields(text)) {
        const [name, argument] = field.split(":");
        const known =
          name === "brand" ||
          name === "hours" ||
          (name === "contact" && argument && contactIds.has(argument));
        if (!known) problems.push(`${where}: unknown template field {{${field}}}`);
      }
      const literal = text.replace(/\{\{[^}]*\}\}/g, "").match(LITERAL_CONTACT);
      if (literal) problems.push(`${where}: literal contact "${literal[0]}" (use a {{contact:…}} field)`);
      const request = text.match(SECRET_REQUEST);
      if (request) problems.push(`${where}: asks the user for a secret ("${request[0]}")`);
    }
  }
}
