import * as z from "zod/mini";
import { INTENTS } from "./intents.ts";
import { LOCALES } from "./locale.ts";

/**
 * Schemas of everything under content/. The build step validates the YAML files with these, and the
 * runtime validates the generated bundle with them again at cold start.
 */
const nonBlank = z.string().check(z.regex(/\S/, "must not be blank"));
export const localeTextSchema = z.strictObject({ "zh-Hans": nonBlank, "zh-Hant": nonBlank, en: nonBlank });
export type LocaleText = z.infer<typeof localeTextSchema>;

export const intentIdSchema = z.enum(INTENTS);
/** One training utterance, as an intent file lists it. */
export const utteranceSchema = nonBlank.check(z.maxLength(500));

export const intentFileSchema = z.strictObject({
  id: intentIdSchema,
  description: nonBlank,
  label: z.strictObject({
    "zh-Hans": nonBlank.check(z.maxLength(16)),
    "zh-Hant": nonBlank.check(z.maxLength(16)),
    en: nonBlank.check(z.maxLength(24)),
  }),
  answer: localeTextSchema,
  utterances: z.array(utteranceSchema).check(z.minLength(30)),
});
export type IntentFile = z.infer<typeof intentFileSchema>;

/**
 * The review file `content:suggest` writes: per intent, utterances to add to its file by hand. Nothing
 * reads it at build or run time; tests hold it to the same rules as the intent files.
 */
export const suggestionFileSchema = z.array(
  z.strictObject({ id: intentIdSchema, utterances: z.array(utteranceSchema).check(z.minLength(1)) }),
);
export type SuggestionFile = z.infer<typeof suggestionFileSchema>;

const isoDate = z.iso.date();
export const contactSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  kind: z.enum(["phone", "url", "email", "handle"]),
  platform: z.optional(
    z.enum([
      "telegram",
      "discord",
      "x",
      "weibo",
      "wechat",
      "whatsapp",
      "messenger",
      "app_store",
      "google_play",
    ]),
  ),
  value: nonBlank,
  region: z.optional(nonBlank),
  hours: z.optional(z.enum(["business", "always"])),
  lastVerified: isoDate,
  label: localeTextSchema,
});
export type Contact = z.infer<typeof contactSchema>;

export const contactsFileSchema = z.strictObject({
  version: nonBlank,
  contacts: z.array(contactSchema).check(z.minLength(1)),
});
/**
 * The operator's Ed25519 signature over the registry's canonical form (safety/registry-signature.ts
 * makes and checks it).
 */
export const registrySignatureSchema = z.strictObject({
  algorithm: z.literal("ed25519"),
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER): which key signed. */
  keyId: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  /** The registry version that was signed, for people reading the file. */
  version: z.string().check(z.minLength(1)),
  signature: z.base64(),
});
export type RegistrySignature = z.infer<typeof registrySignatureSchema>;

export type ContactsFile = z.infer<typeof contactsFileSchema>;

const timeRange = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, "expected HH:MM-HH:MM"));
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const hoursFileSchema = z.strictObject({
  timezone: z.string().check(
    z.refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "unknown IANA time zone"),
  ),
  weekly: z.strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRange)])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodMiniArray<typeof timeRange>
    >,
  ),
  closed: z.array(isoDate),
});
export type HoursFile = z.infer<typeof hoursFileSchema>;

/** Interface strings of the dialogue: every key in every locale. */
export const MESSAGE_KEYS = [
  "brand",
  "menuIntro",
  "clarify",
  "clarifyOther",
  "rephrase",
  "offerHuman",
  "humanButton",
  "keepBotButton",
  "feedbackQuestion",
  "feedbackYes",
  "feedbackNo",
  "feedbackYesButton",
  "feedbackNoButton",
  "menuButton",
  "unknownButton",
  "weekdays",
  "hoursClosedOn",
  "listSeparator",
  "contactOfficial",
  "contactLookalike",
  "contactUnlisted",
  "contactAlternatives",
  "contactNoAlternative",
  "contactKindPhone",
  "contactKindUrl",
  "contactKindEmail",
  "contactKindHandle",
  "contactKindQq",
  "contactKindWechat",
  "secretWarning",
  "secretMnemonic",
  "secretPrivateKey",
  "secretCard",
  "secretCode",
  "secretPassword",
  "scamWarning",
  "unsupportedMessage",
  "expiredButton",
  "forgetConfirm",
  "forgetYesButton",
  "forgetNoButton",
  "forgetDone",
  "forgetCancelled",
  "handoffQueued",
  "handoffNext",
  "handoffClosed",
  "handbackNotice",
  "resolvedNotice",
  "idleNotice",
  "writeReplyButton",
  "chooseButton",
  "choosePrompt",
  "writeReplyTitle",
  "writeReplyLabel",
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];
export const messagesFileSchema = z.strictObject(
  Object.fromEntries(MESSAGE_KEYS.map((k) => [k, localeTextSchema])) as Record<
    MessageKey,
    typeof localeTextSchema
  >,
);
export type MessagesFile = z.infer<typeof messagesFileSchema>;

export const cannedRepliesFileSchema = z.strictObject({
  replies: z
    .array(
      z.strictObject({
        id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
        label: nonBlank.check(z.maxLength(40)),
        text: localeTextSchema,
      }),
    )
    .check(z.maxLength(100)),
});
export type CannedRepliesFile = z.infer<typeof cannedRepliesFileSchema>;

/** What the runtime needs from content/: everything except the training utterances. */
export const knowledgeSchema = z.strictObject({
  intents: z.record(
    intentIdSchema,
    z.strictObject({ label: intentFileSchema.shape.label, answer: localeTextSchema }),
  ),
  menu: z.array(intentIdSchema).check(z.minLength(1)),
  contacts: contactsFileSchema,
  /** The operator's signature over `contacts` (content/contacts.signature.yaml), when there is one. */
  contactsSignature: z.optional(registrySignatureSchema),
  hours: hoursFileSchema,
  messages: messagesFileSchema,
  cannedReplies: cannedRepliesFileSchema.shape.replies,
});
export type Knowledge = z.infer<typeof knowledgeSchema>;

export const LOCALE_LIST = LOCALES;
