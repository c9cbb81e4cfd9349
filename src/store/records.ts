import { createHash, randomBytes } from "node:crypto";
import type { Fact } from "../core/insights.ts";
import type { Locale } from "../core/locale.ts";
import type { DialogueState, Reply } from "../core/policy.ts";

/** product.md §5: bot → waiting → agent → bot | closed. */
export type ConversationStatus = "bot" | "waiting" | "agent" | "closed";
export type Priority = "normal" | "urgent";

/** An inbound platform event already applied to the head, kept to answer redeliveries. */
export interface SeenEvent {
  id: string;
  version: number;
}

/** The user's current conversation: one item per user key, rewritten whole under a version check. */
export interface ConversationRecord {
  conversationId: string;
  /** The n-th conversation of this user: a closed conversation's successor gets seq + 1. */
  seq: number;
  /** The channel's name (src/channels/registry.ts); the store itself knows no platform. */
  channel: string;
  /** The channel's address of the user (`web:<sessionId>`, `telegram:<chatId>`), used to reply. */
  userKey: string;
  status: ConversationStatus;
  priority?: Priority;
  /** Why agents should look first, e.g. "secret_shared". */
  flags?: string[];
  waitingSince?: string;
  /** The agent holding the conversation (status "agent"), since when, and their last action in it. */
  claimedBy?: string;
  claimedByName?: string;
  claimedAt?: string;
  agentActivityAt?: string;
  /** Set once an unclaimed conversation passed the SLA and agents were told. */
  escalatedAt?: string;
  language: Locale;
  dialogue: DialogueState;
  /** Incremented by every write; message sort keys carry the version that wrote them. */
  version: number;
  /** The most recent inbound event ids (bounded), so a redelivered event is answered, not re-run. */
  recentEvents: SeenEvent[];
  /**
   * The messages the last turn wrote: a redelivery of its event gets the same replies, and re-writing
   * them (same keys) repairs a turn whose message write did not happen after the head write.
   */
  lastMessages: MessageRecord[];
  /**
   * The conversation's random id in insights facts (22 base64url characters). Not derived from the
   * user key: when this head goes, nothing ties the facts to the user any more.
   */
  subject?: string;
  /** The last turn's fact for insights, rewritten with `lastMessages` on a redelivery. */
  lastFact?: Fact;
  /** The miss the last turn recorded (for the misses list), rewritten with `lastMessages` too. */
  lastMiss?: MissRecord;
  createdAt: string;
  updatedAt: string;
  /** When the user last wrote or pressed a button: Meta's messaging windows count from here. */
  userWroteAt?: string;
  /** The user's messages in the current minute (`YYYY-MM-DDTHH:MM`), for the per-user rate limit. */
  rate?: { minute: string; count: number };
  /** Epoch seconds; DynamoDB's TTL deletes the item some time after. */
  expiresAt: number;
}

/** "note": an agent's internal note, never shown to the user. */
export type MessageAuthor = "user" | "bot" | "agent" | "note";

export interface MessageRecord {
  conversationId: string;
  /** `<version>.<n>`: unique and ordered within the conversation. */
  id: string;
  version: number;
  index: number;
  from: MessageAuthor;
  text: string;
  buttons?: Reply["buttons"];
  /** For user text: what the classifier understood (for metrics and agents' context). */
  intent?: string;
  confidence?: number;
  eventId?: string;
  /** For agent replies and notes: who wrote it. */
  agentId?: string;
  agentName?: string;
  at: string;
  expiresAt: number;
}

export type AgentRole = "agent" | "admin";

export interface AgentRecord {
  id: string;
  name: string;
  role: AgentRole;
  /** SHA-256 of the token's secret part; the token itself is shown once and never stored. */
  tokenHash: string;
  createdAt: string;
  revokedAt?: string;
}

export interface AuditRecord {
  at: string;
  /** The agent's id, or "system" for scheduled jobs. */
  actor: string;
  action: string;
  conversationId?: string;
  detail?: string;
}

/** How many inbound event ids a head remembers for dedupe. */
export const RECENT_EVENTS = 20;

/** Opaque, stable and free of platform identifiers: 22 base64url characters of SHA-256. */
export function userHash(userKey: string): string {
  return createHash("sha256").update(`guardline:user:${userKey}`).digest("base64url").slice(0, 22);
}

export function conversationIdFor(userKey: string, seq: number): string {
  return `${userHash(userKey)}.${seq}`;
}

const CONVERSATION_ID = /^([A-Za-z0-9_-]{22})\.([1-9][0-9]{0,8})$/;

/** Splits a conversation id into the user hash and sequence, or undefined when it is malformed. */
export function parseConversationId(id: string): { userHash: string; seq: number } | undefined {
  const match = CONVERSATION_ID.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { userHash: match[1], seq: Number(match[2]) };
}

export const keys = {
  head: (hash: string) => ({ pk: `USER#${hash}`, sk: "CONV" }),
  agent: (id: string) => ({ pk: `AGENT#${id}`, sk: "PROFILE" }),
  archive: (conversationId: string) => ({ pk: `CONV#${conversationId}`, sk: "ARCHIVE" }),
  delivery: (key: string) => ({ pk: `DELIVERY#${key}`, sk: "PARTS" }),
  /** Facts of a UTC day, spread over FACT_SHARDS partitions by conversation. */
  factPk: (day: string, shard: number) => `FACT#${day}#${shard}`,
  factSk: (fact: StoredFact) => `${fact.fact.at}#${fact.fact.subject}#${fact.version}`,
  /**
   * A miss and a label live in their conversation's partition (so forgetting the conversation
   * deletes them, and they expire with its messages; both sort before `MSG#`) and are listed by
   * day through the sparse index: `queuePk = MISS#<day>` or `LABEL#<day>`.
   */
  miss: (conversationId: string, messageId: string) => ({
    pk: `CONV#${conversationId}`,
    sk: `MISS#${messageId}`,
  }),
  label: (conversationId: string, messageId: string) => ({
    pk: `CONV#${conversationId}`,
    sk: `LABEL#${messageId}`,
  }),
  byDay: (kind: "MISS" | "LABEL", at: string, conversationId: string, messageId: string) => ({
    queuePk: `${kind}#${at.slice(0, 10)}`,
    queueSk: `${at}#${conversationId}#${messageId}`,
  }),
  dayIndexPk: (kind: "MISS" | "LABEL", day: string) => `${kind}#${day}`,
  auditPk: (day: string) => `AUDIT#${day}`,
  messagePk: (conversationId: string) => `CONV#${conversationId}`,
  messageSk: (version: number, index: number) =>
    `MSG#${String(version).padStart(10, "0")}#${String(index).padStart(2, "0")}`,
};

/**
 * Partitions per day for facts: one turn of every conversation writes one, so a busy day spreads
 * over several partitions (each takes 1,000 writes a second) and a day is read with as many queries.
 */
export const FACT_SHARDS = 4;

/** Facts hold no text and no user identity, so they outlive transcripts, like the audit log. */
export const FACT_RETENTION_DAYS = 400;

/** A fact as written: the head version that wrote it keeps its key unique and a retry on the same key. */
export interface StoredFact {
  fact: Fact;
  version: number;
}

export function factShard(subject: string): number {
  return (subject.charCodeAt(0) + subject.charCodeAt(1)) % FACT_SHARDS;
}

/** A fresh insights subject: 128 random bits. */
export function newSubject(): string {
  return randomBytes(16).toString("base64url").slice(0, 22);
}

/** Why a user message is in the misses list. */
export type MissReason = "low_confidence" | "out_of_scope" | "not_helpful";

/**
 * A user message the bot could not answer, or whose answer the user called unhelpful: a reference
 * to the transcript (no text), kept as long as the message is.
 */
export interface MissRecord {
  conversationId: string;
  messageId: string;
  at: string;
  channel: string;
  language: Locale;
  reason: MissReason;
  expiresAt: number;
}

/** An agent's label on a user message: the intent it should have had (feeds `content:suggest`). */
export interface LabelRecord {
  conversationId: string;
  messageId: string;
  intent: string;
  agentId: string;
  at: string;
  /** The labelled message's: a label goes with its message. */
  expiresAt: number;
}
