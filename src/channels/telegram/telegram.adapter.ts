import { isIntentId } from "../../core/intents.ts";
import { type Locale, localeFromTag } from "../../core/locale.ts";
import type { Inbound, Reply } from "../../core/policy.ts";
import { ButtonSigner } from "../button-signer.ts";
import { FORGET } from "../forget.ts";
import { splitText } from "../split-text.ts";
import type { InboundMessage } from "../types.ts";
import type { TelegramMessage, TelegramUpdate } from "./telegram.schemas.ts";

/** Inline-button data is signed for the chat; `<id>~<12-char mac>` fits the 64-byte callback_data. */
export function telegramButtonSigner(secret: string): ButtonSigner {
  return new ButtonSigner(secret, "telegram-buttons");
}

/** What an update asks of the bot, decided before anything is stored. */
export type TelegramEvent =
  | { kind: "ignore"; reason: string }
  | { kind: "unsupported"; chatId: number; locale: Locale | undefined }
  | {
      kind: "forget";
      chatId: number;
      step: "ask" | "confirm" | "cancel";
      callbackId?: string;
      locale?: Locale;
    }
  | { kind: "expired"; chatId: number; callbackId: string; locale: Locale | undefined }
  | { kind: "inbound"; chatId: number; message: InboundMessage; callbackId?: string };

export function telegramUserKey(chatId: number): string {
  return `telegram:${chatId}`;
}

/**
 * Turns an update into an event: private-chat text, our commands and our buttons become inbound
 * messages; media in a private chat gets a short "text only" reply; edits, groups, channels and
 * update types we do not handle are ignored (answering them would double-answer or spam).
 */
export function telegramEvent(update: TelegramUpdate, signer: ButtonSigner): TelegramEvent {
  const eventId = `tg:${update.update_id}`;
  const callback = update.callback_query;
  if (callback) {
    const chatId = callback.message?.chat.id ?? callback.from.id;
    const locale = localeFromTag(callback.from.language_code);
    const buttonId = callback.data ? signer.verify(chatId, callback.data) : undefined;
    if (!buttonId) return { kind: "expired", chatId, callbackId: callback.id, locale };
    if (buttonId === FORGET.confirm || buttonId === FORGET.cancel) {
      const step = buttonId === FORGET.confirm ? "confirm" : "cancel";
      return { kind: "forget", chatId, step, callbackId: callback.id, ...(locale ? { locale } : {}) };
    }
    const content: Inbound = { type: "button", buttonId, ...(locale ? { localeHint: locale } : {}) };
    return { kind: "inbound", chatId, callbackId: callback.id, message: inbound(chatId, eventId, content) };
  }
  if (update.edited_message) return { kind: "ignore", reason: "edited message" };
  if (update.channel_post) return { kind: "ignore", reason: "channel post" };
  const message = update.message;
  if (!message) return { kind: "ignore", reason: "update type not handled" };
  if (message.chat.type !== "private") return { kind: "ignore", reason: "not a private chat" };
  if (message.from?.is_bot) return { kind: "ignore", reason: "from a bot" };
  const locale = localeFromTag(message.from?.language_code);
  const chatId = message.chat.id;
  if (message.text === undefined || message.text.trim() === "")
    return { kind: "unsupported", chatId, locale };
  const command = parseCommand(message);
  if (command?.name === "forget")
    return { kind: "forget", chatId, step: "ask", ...(locale ? { locale } : {}) };
  const content = command ? commandContent(command) : { type: "text" as const, text: message.text };
  const withHint: Inbound = { ...content, ...(locale ? { localeHint: locale } : {}) };
  return { kind: "inbound", chatId, message: inbound(chatId, eventId, withHint) };
}

function inbound(chatId: number, eventId: string, content: Inbound): InboundMessage {
  return { channel: "telegram", userKey: telegramUserKey(chatId), eventId, content };
}

/** `/command@bot args` at the start of the text, from its bot_command entity. */
function parseCommand(message: TelegramMessage): { name: string; args: string } | undefined {
  const entity = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  const text = message.text ?? "";
  if (!entity) return undefined;
  const name = text.slice(1, entity.length).split("@")[0]?.toLowerCase() ?? "";
  return { name, args: text.slice(entity.length).trim() };
}

/** Commands become what pressing the matching button or typing the question would be. */
function commandContent(command: { name: string; args: string }): Inbound {
  switch (command.name) {
    case "start":
      // Deep links (t.me/<bot>?start=verify_contact) open on that topic.
      return isIntentId(command.args)
        ? { type: "button", buttonId: `t:${command.args}` }
        : { type: "button", buttonId: "menu" };
    case "contact":
      return { type: "button", buttonId: "t:contact_support" };
    case "verify":
      return command.args
        ? { type: "text", text: command.args }
        : { type: "button", buttonId: "t:verify_contact" };
    case "human":
      return { type: "button", buttonId: "human" };
    default:
      return { type: "button", buttonId: "menu" };
  }
}

export const TELEGRAM_TEXT_LIMIT = 4096;

export interface TelegramOutgoing {
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

/**
 * A reply as sendMessage payloads: split at paragraph, then line, then character boundaries to stay
 * within 4096 characters; buttons (signed for this chat) under the last part, short ones in a row.
 */
export function telegramMessages(reply: Reply, chatId: number, signer: ButtonSigner): TelegramOutgoing[] {
  const parts = splitText(reply.text, TELEGRAM_TEXT_LIMIT);
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return parts.map((text) => ({ text }));
  const keys = buttons.map((b) => ({ text: b.label, callback_data: signer.sign(chatId, b.id) }));
  const inRow = keys.length <= 3 && keys.every((k) => [...k.text].length <= 10);
  const inline_keyboard = inRow ? [keys] : keys.map((k) => [k]);
  return parts.map((text, i) =>
    i === parts.length - 1 ? { text, reply_markup: { inline_keyboard } } : { text },
  );
}
