import type { MessageKey } from "../core/content.ts";
import type { Locale } from "../core/locale.ts";
import type { Inbound, Reply } from "../core/policy.ts";
import type { AgentRole, ConversationRecord, MessageRecord } from "../store/records.ts";
import type { ForgetStep } from "./forget.ts";
import type { ChannelName } from "./registry.ts";

/**
 * The one interface every platform implements (style.md habit 3). The bot path and the handoff see
 * only these types; everything a platform does (verify, parse, render, send) lives in its folder.
 */
export type { ChannelName };

/** A user's message as every channel hands it over, after verification and parsing. */
export interface InboundMessage {
  channel: ChannelName;
  /** The channel's address of the user: `web:<sessionId>`, `telegram:<chatId>`… */
  userKey: string;
  /** The platform's own id for this event; a redelivery with the same id is answered, not re-run. */
  eventId?: string;
  content: Inbound;
}

/** What the bot sends back: text with optional buttons; each adapter renders it for its platform. */
export type OutboundReply = Reply;

/** An HTTP request as a channel sees it: the exact raw body (signatures are over these bytes). */
export interface ChannelRequest {
  method: string;
  /** Lower-case names, as API Gateway v2 passes them. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: Buffer;
}

/** An HTTP answer (API Gateway's structured result). */
export interface ChannelResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** Dialogue notices a channel may ask for when a message cannot go through the bot path. */
export type NoticeKey = Extract<MessageKey, "unsupportedMessage" | "expiredButton">;

/**
 * What one inbound event asks of the bot, decided by the adapter before anything is stored. `to` is
 * the adapter's own address for the answer (a chat id, an interaction, a WhatsApp number…); the
 * rest is platform-free. `localeHint` is the platform's language for the user, when it says one.
 */
export type ChannelEvent<To> =
  | { kind: "ignore"; reason: string }
  | { kind: "inbound"; to: To; message: InboundMessage }
  | { kind: "forget"; to: To; userKey: string; step: ForgetStep; localeHint?: Locale | undefined }
  | { kind: "notice"; to: To; userKey: string; notice: NoticeKey; localeHint?: Locale | undefined }
  /** Ask for free text in a form: for platforms whose buttons cannot carry a typed reply (Discord). */
  | { kind: "prompt"; to: To; userKey: string; localeHint?: Locale | undefined };

export type AnswerableEvent<To> = Exclude<ChannelEvent<To>, { kind: "ignore" }>;

/** The bot's answer to one event, in the conversation's language. */
export interface Answer {
  replies: OutboundReply[];
  language: Locale;
  /** A dialogue string in that language, for what the platform adds (a list button, a form title). */
  say(key: MessageKey): string;
  /**
   * For inbound messages: the conversation the turn belongs to, its status afterwards, and the
   * user's message as stored (secrets redacted).
   */
  turn?: { conversationId: string; status: string; message?: { id: string; text: string; at: string } };
}

/** What `receive` found: events to answer, or a direct answer (a ping, a challenge, a dropped body). */
export type Received<To> = { events: ChannelEvent<To>[] } | { response: ChannelResponse };

/**
 * One request's answers. `answer()` runs the bot's side (stored once, replayed on a redelivery) and
 * resolves to undefined when there is nothing to send (a duplicate answered moments ago). Most
 * platforms await it and send; Discord races it against its three-second deadline.
 */
export interface Exchange<To> {
  reply(event: AnswerableEvent<To>, answer: () => Promise<Answer | undefined>): Promise<void>;
  /** The HTTP answer once every event was answered (Telegram's last message rides in it). */
  finish(): ChannelResponse;
}

/** The user end of a conversation, as the handoff knows it: enough to reach them outside a request. */
export interface Recipient {
  conversationId: string;
  userKey: string;
  language: Locale;
  /** When the user last wrote: platforms with a messaging window count from here. */
  userWroteAt?: string | undefined;
  updatedAt: string;
}

/**
 * How a platform treats its webhook, which the turn must respect. Text and button limits stay beside
 * each platform's renderer (TELEGRAM_TEXT_LIMIT, DISCORD_CONTENT_LIMIT, WHATSAPP, MESSENGER), the
 * only code that needs them; the messaging window is the registry's `reach`.
 */
export interface ChannelLimits {
  /**
   * The platform redelivers any request not answered 2xx: after verification, permanent failures
   * are logged and answered 200 (a poison message must not block the chat); transient ones fail.
   */
  redelivers: boolean;
  /**
   * A redelivered event is answered again only when its first handling is this old: copies arriving
   * together are one delivery, a late redelivery means the first answer never arrived.
   */
  replayAfterMs?: number;
}

/**
 * Counts the parts of a multi-part answer a platform has accepted, so a retried delivery (Lambda's
 * retry of an asynchronous invocation) posts only the parts that did not arrive. Keyed by the
 * platform's id of what is being answered; implemented over the table in src/store/.
 */
export interface DeliveryLedger {
  delivered(key: string): Promise<number>;
  /** Records that the first `parts` parts arrived; never lowers a count already recorded. */
  recordDelivered(key: string, parts: number): Promise<void>;
}

/** The interface every platform implements; one instance per cold start, built in src/app/. */
export interface ChannelAdapter<To = unknown> {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Verifies the request over its raw bytes, then parses it; a bad signature throws before parsing. */
  receive(request: ChannelRequest): Promise<Received<To>>;
  /** A new exchange for one request. */
  exchange(): Exchange<To>;
  /** An agent's (or the system's) message to the user, outside any request of theirs. */
  deliver(to: Recipient, text: string, from: "agent" | "bot"): Promise<void>;
  /**
   * For platforms that finish an answer in a later invocation (Discord's deferred interactions): the
   * events of that invocation's payload and the exchange that answers them.
   */
  resume?(payload: unknown): { events: ChannelEvent<To>[]; exchange: Exchange<To> } | undefined;
}

/**
 * The agents' side of a platform (the agents' Telegram group): told when a conversation is queued
 * and what a held user writes; posts a line about what agents did elsewhere.
 */
export interface AgentRoom {
  queued(head: ConversationRecord): Promise<void>;
  userWrote(head: ConversationRecord, message: MessageRecord): Promise<void>;
  announce(conversationId: string, text: string): Promise<void>;
  /** Opens the room's thread for a waiting conversation that has none yet (the scheduled job's catch-up). */
  ensureTopic(head: ConversationRecord): Promise<void>;
}

/** The agent actions a room lets its members take, as the agent API offers them. */
export interface AgentDesk {
  claim(agent: DeskAgent, conversationId: string): Promise<unknown>;
  handBack(agent: DeskAgent, conversationId: string): Promise<unknown>;
  resolve(agent: DeskAgent, conversationId: string): Promise<unknown>;
  write(
    agent: DeskAgent,
    conversationId: string,
    kind: "agent" | "note",
    text: string,
    options: { announce: boolean },
  ): Promise<unknown>;
}

export interface DeskAgent {
  id: string;
  name: string;
  role: AgentRole;
}
