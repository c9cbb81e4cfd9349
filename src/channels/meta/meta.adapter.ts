import { createHmac, timingSafeEqual } from "node:crypto";
import type { Locale } from "../../core/locale.ts";
import type { Button, Inbound, Reply } from "../../core/policy.ts";
import { ButtonSigner } from "../button-signer.ts";
import { type ForgetStep, forgetStep } from "../forget.ts";
import { splitText } from "../split-text.ts";
import type { InboundMessage } from "../types.ts";
import { type MetaUser, metaUserKey } from "./meta.address.ts";
import {
  type MessengerMessaging,
  type MetaNotification,
  messengerMessagingSchema,
  type WhatsappMessage,
  whatsappMessageSchema,
  whatsappValueSchema,
} from "./meta.schemas.ts";

/**
 * `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the exact raw body with the app secret,
 * compared in constant time before anything is parsed.
 */
export function signatureValid(appSecret: string, header: string | undefined, body: Buffer): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = createHmac("sha256", appSecret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header.slice("sha256=".length), "hex"));
}

/** Buttons are signed for the user with the app secret; ids stay far below WhatsApp's 256 bytes. */
export function metaButtonSigner(appSecret: string): ButtonSigner {
  return new ButtonSigner(appSecret, "meta-buttons");
}

export { type MetaUser, metaUserKey, parseMetaUserKey, replyWindowEnds } from "./meta.address.ts";

/** What one message in a notification asks of the bot, decided before anything is stored. */
export type MetaEvent =
  | { kind: "ignore"; reason: string }
  | { kind: "unsupported"; user: MetaUser; locale: Locale | undefined }
  | { kind: "expired"; user: MetaUser; locale: Locale | undefined }
  | { kind: "forget"; user: MetaUser; step: ForgetStep; locale: Locale | undefined }
  | { kind: "inbound"; user: MetaUser; message: InboundMessage };

/** These platforms have no commands; a message that is just "/forget" asks to delete the conversation. */
const isForgetRequest = (text: string) => text.trim().toLowerCase() === "/forget";

/** Messenger's "Get Started" button sends the payload the operator configured for it. */
export const GET_STARTED = "GET_STARTED";

/**
 * Every message of a notification as an event, in order. WhatsApp text, our buttons and list rows,
 * and Messenger text, quick replies and postbacks become inbound messages; media get a "text only"
 * reply; statuses, reactions, echoes of our own messages, reads and deliveries are ignored.
 */
export function metaEvents(notification: MetaNotification, signer: ButtonSigner): MetaEvent[] {
  if (notification.object === "whatsapp_business_account") {
    return notification.entry.flatMap((entry) =>
      entry.changes.flatMap((change): MetaEvent[] => {
        if (change.field !== "messages") return [{ kind: "ignore", reason: `field ${change.field}` }];
        const value = whatsappValueSchema.safeParse(change.value);
        if (!value.success) return [{ kind: "ignore", reason: "malformed change" }];
        const phoneNumberId = value.data.metadata.phone_number_id;
        return (value.data.messages ?? []).map((item): MetaEvent => {
          const message = whatsappMessageSchema.safeParse(item);
          if (message.success) return whatsappEvent(message.data, phoneNumberId, signer);
          const from = (item as { from?: unknown } | null)?.from;
          if (typeof from !== "string" || from === "") return { kind: "ignore", reason: "malformed message" };
          const user: MetaUser = { platform: "whatsapp", phoneNumberId, waId: from };
          return { kind: "unsupported", user, locale: localeFromPhone(from) };
        });
      }),
    );
  }
  return notification.entry.flatMap((entry) =>
    (entry.messaging ?? []).map((item): MetaEvent => {
      const messaging = messengerMessagingSchema.safeParse(item);
      if (!messaging.success) {
        const sender = (item as { sender?: { id?: unknown } } | null)?.sender?.id;
        if (typeof sender !== "string" || sender === "" || sender === entry.id)
          return { kind: "ignore", reason: "malformed messaging item" };
        return {
          kind: "unsupported",
          user: { platform: "messenger", pageId: entry.id, psid: sender },
          locale: undefined,
        };
      }
      return messengerEvent(messaging.data, entry.id, signer);
    }),
  );
}

function whatsappEvent(message: WhatsappMessage, phoneNumberId: string, signer: ButtonSigner): MetaEvent {
  const user: MetaUser = { platform: "whatsapp", phoneNumberId, waId: message.from };
  const locale = localeFromPhone(message.from);
  const inbound = (content: Inbound): MetaEvent => {
    if (content.type === "text" && isForgetRequest(content.text))
      return { kind: "forget", user, step: "ask", locale };
    const step = content.type === "button" ? forgetStep(content.buttonId) : undefined;
    if (step) return { kind: "forget", user, step, locale };
    return { kind: "inbound", user, message: toInbound(user, `wa:${message.id}`, content, locale) };
  };
  switch (message.type) {
    case "text": {
      const text = message.text?.body ?? "";
      return text.trim() === "" ? { kind: "unsupported", user, locale } : inbound({ type: "text", text });
    }
    case "interactive":
    case "button": {
      const data =
        message.interactive?.button_reply?.id ??
        message.interactive?.list_reply?.id ??
        message.button?.payload;
      const buttonId = data === undefined ? undefined : signer.verify(metaUserKey(user), data);
      return buttonId === undefined
        ? { kind: "expired", user, locale }
        : inbound({ type: "button", buttonId });
    }
    case "reaction":
    case "system":
    case "request_welcome":
      return { kind: "ignore", reason: `whatsapp ${message.type}` };
    default:
      return { kind: "unsupported", user, locale };
  }
}

function messengerEvent(item: MessengerMessaging, pageId: string, signer: ButtonSigner): MetaEvent {
  // Echoes of the page's own messages arrive with the page as sender.
  if (item.message?.is_echo || item.sender.id === pageId) return { kind: "ignore", reason: "echo" };
  const user: MetaUser = { platform: "messenger", pageId, psid: item.sender.id };
  const eventId = `fb:${item.message?.mid ?? item.postback?.mid ?? `${item.sender.id}:${item.timestamp ?? 0}`}`;
  const inbound = (content: Inbound): MetaEvent => {
    if (content.type === "text" && isForgetRequest(content.text))
      return { kind: "forget", user, step: "ask", locale: undefined };
    const step = content.type === "button" ? forgetStep(content.buttonId) : undefined;
    if (step) return { kind: "forget", user, step, locale: undefined };
    return { kind: "inbound", user, message: toInbound(user, eventId, content, undefined) };
  };
  const button = (data: string): MetaEvent => {
    if (data === GET_STARTED) return inbound({ type: "button", buttonId: "menu" });
    const buttonId = signer.verify(metaUserKey(user), data);
    return buttonId === undefined
      ? { kind: "expired", user, locale: undefined }
      : inbound({ type: "button", buttonId });
  };
  if (item.postback) return button(item.postback.payload);
  const message = item.message;
  if (!message) return { kind: "ignore", reason: "not a message (delivery, read, optin…)" };
  if (message.quick_reply) return button(message.quick_reply.payload);
  if (message.text !== undefined && message.text.trim() !== "")
    return inbound({ type: "text", text: message.text });
  return { kind: "unsupported", user, locale: undefined };
}

function toInbound(
  user: MetaUser,
  eventId: string,
  content: Inbound,
  locale: Locale | undefined,
): InboundMessage {
  return {
    channel: "meta",
    userKey: metaUserKey(user),
    eventId,
    content: locale ? { ...content, localeHint: locale } : content,
  };
}

/**
 * WhatsApp sends no language, but the number's country code is a fair hint for a first message
 * without script evidence: Hong Kong, Macau and Taiwan write Traditional, mainland China Simplified.
 */
export function localeFromPhone(waId: string): Locale | undefined {
  if (/^(852|853|886)/.test(waId)) return "zh-Hant";
  if (/^86/.test(waId)) return "zh-Hans";
  return undefined;
}

/** WhatsApp's limits: text messages, interactive bodies, reply buttons and list rows. */
export const WHATSAPP = {
  text: 4096,
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
};
/** Messenger's limits: text and quick replies. */
export const MESSENGER = { text: 2000, quickReplies: 13, quickReplyTitle: 20 };

/** The `type`-specific part of a WhatsApp Cloud API message (without messaging_product and to). */
export type WhatsappOutgoing =
  | { type: "text"; text: { body: string; preview_url: false } }
  | { type: "interactive"; interactive: Record<string, unknown> };

export interface ChoiceLabels {
  /** The button that opens a list (≤ 20 characters). */
  choose: string;
  /** The body above the choices when the answer itself is too long to carry them. */
  prompt: string;
}

/**
 * A reply as WhatsApp messages: text split at 4,096 characters; buttons go with the last part as
 * reply buttons (up to three short ones) or a list (up to ten rows), signed for this user. A last
 * part longer than an interactive body may be goes out as text, and the choices follow under a
 * short prompt.
 */
export function whatsappMessages(
  reply: Reply,
  user: MetaUser,
  signer: ButtonSigner,
  labels: ChoiceLabels,
): WhatsappOutgoing[] {
  const parts = splitText(reply.text, WHATSAPP.text);
  const buttons = (reply.buttons ?? []).slice(0, WHATSAPP.rows);
  const text = (body: string): WhatsappOutgoing => ({ type: "text", text: { body, preview_url: false } });
  if (buttons.length === 0) return parts.map(text);
  const last = parts.at(-1) ?? "";
  const carried = last !== "" && [...last].length <= WHATSAPP.body;
  const body = carried ? last : labels.prompt;
  const leading = carried ? parts.slice(0, -1) : parts;
  return [
    ...leading.map(text),
    { type: "interactive", interactive: choices(body, buttons, user, signer, labels) },
  ];
}

function choices(
  body: string,
  buttons: Button[],
  user: MetaUser,
  signer: ButtonSigner,
  labels: ChoiceLabels,
): Record<string, unknown> {
  const scope = metaUserKey(user);
  const short =
    buttons.length <= WHATSAPP.buttons && buttons.every((b) => [...b.label].length <= WHATSAPP.buttonTitle);
  if (short) {
    return {
      type: "button",
      body: { text: body },
      action: {
        buttons: buttons.map((b) => ({
          type: "reply",
          reply: { id: signer.sign(scope, b.id), title: b.label },
        })),
      },
    };
  }
  return {
    type: "list",
    body: { text: body },
    action: {
      button: truncate(labels.choose, WHATSAPP.buttonTitle),
      sections: [
        {
          rows: buttons.map((b) => {
            const title = truncate(b.label, WHATSAPP.rowTitle);
            const description =
              title === b.label ? {} : { description: truncate(b.label, WHATSAPP.rowDescription) };
            return { id: signer.sign(scope, b.id), title, ...description };
          }),
        },
      ],
    },
  };
}

export interface MessengerOutgoing {
  text: string;
  quick_replies?: { content_type: "text"; title: string; payload: string }[];
}

/** A reply as Messenger messages: text split at 2,000 characters, buttons as quick replies on the last. */
export function messengerMessages(reply: Reply, user: MetaUser, signer: ButtonSigner): MessengerOutgoing[] {
  const parts = splitText(reply.text, MESSENGER.text);
  const buttons = (reply.buttons ?? []).slice(0, MESSENGER.quickReplies);
  if (buttons.length === 0) return parts.map((text) => ({ text }));
  const scope = metaUserKey(user);
  const quick_replies = buttons.map((b) => ({
    content_type: "text" as const,
    title: truncate(b.label, MESSENGER.quickReplyTitle),
    payload: signer.sign(scope, b.id),
  }));
  return parts.map((text, i) => (i === parts.length - 1 ? { text, quick_replies } : { text }));
}

/** Cuts to `limit` characters (not UTF-16 units), ending with "…" when anything was cut. */
export function truncate(text: string, limit: number): string {
  const characters = [...text];
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join("")}…`;
}
