import type { Locale } from "./locale.ts";
import type { SecretKind } from "./safety/secrets.ts";

/**
 * Insights: what the bot and the agents achieved, computed from facts. A fact is one turn of the
 * bot path or one agent action, written in the same store request as the turn's messages; it holds
 * no message text and nothing that identifies a user (the conversation id is a hash). This module
 * is pure: the store reads facts, `computeInsights` turns them into figures.
 */

/** Why a conversation reached the queue. */
export const HANDOFF_REASONS = ["requested", "after_misses", "urgent", "scam"] as const;
export type HandoffReasonGroup = (typeof HANDOFF_REASONS)[number];

/** One turn of the bot path (a user message or button press). */
export interface TurnFact {
  kind: "turn";
  conversationId: string;
  /** The user message this turn stored (`<version>.0`). */
  messageId: string;
  at: string;
  channel: string;
  language: Locale;
  /** The first turn of a conversation. */
  opened?: true;
  input: "text" | "button";
  /** Text turns: the classifier's intent and confidence. */
  intent?: string;
  confidence?: number;
  /** The FAQ answer the bot gave (an intent id), when it gave one. */
  answered?: string;
  /** The bot asked which of two topics was meant. */
  clarified?: true;
  /** A topic button pressed right after a clarifying question. */
  pickedTopic?: true;
  /** Confidently out of scope. */
  outOfScope?: true;
  /** The bot could not answer (low confidence or out of scope): the user message is a miss. */
  miss?: true;
  /** The bot offered a human after repeated misses. */
  offeredHuman?: true;
  /** "Did this help?" pressed; `missId` is the user message the unhelpful answer was for. */
  feedback?: { intent: string; helpful: boolean; missId?: string };
  /** The turn put the conversation in the queue, and why. */
  handoff?: HandoffReasonGroup;
  /** Secrets redacted from the message, by kind. */
  secrets?: SecretKind[];
  /** Contacts the user asked about or pasted, by verdict. */
  contacts?: { official?: number; lookalike?: number; unlisted?: number };
  /** The user wrote while an agent held or the queue had the conversation (the bot kept quiet). */
  held?: true;
}

/** One agent (or system) action on a conversation. */
export interface AgentFact {
  kind: "agent";
  conversationId: string;
  at: string;
  channel: string;
  language: Locale;
  action: "claim" | "reply" | "resolve" | "handback" | "idle_return" | "escalate";
  /** The agent's id; "system" for the scheduled job. */
  agentId: string;
  agentName?: string;
  /** From entering the queue to this action (claim, the first reply, resolve), in seconds. */
  sinceQueuedSeconds?: number;
  /** For a reply: the first agent reply since the conversation entered the queue. */
  firstReply?: true;
}

export type Fact = TurnFact | AgentFact;

/** A ratio that is null when nothing was counted (no 0/0 shown as 0 %). */
export type Rate = number | null;

/** The figures for one slice (a day, a channel, a language, or all of it). */
export interface SliceFigures {
  conversations: number;
  userMessages: number;
  /** Conversations opened in the range that never reached the queue. */
  contained: number;
  containment: Rate;
  handoffs: number;
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + notHelpful). */
  csat: Rate;
  clarified: number;
  pickedTopic: number;
  /** pickedTopic / clarified. */
  pickRate: Rate;
  outOfScope: number;
  /** outOfScope / text turns answered by the bot. */
  outOfScopeRate: Rate;
}

export interface IntentFigures {
  intent: string;
  messages: number;
  meanConfidence: Rate;
  answered: number;
  helpful: number;
  notHelpful: number;
  helpfulRate: Rate;
}

export interface DurationFigures {
  count: number;
  meanSeconds: Rate;
  medianSeconds: Rate;
  p90Seconds: Rate;
}

export interface AgentFigures {
  agentId: string;
  name: string;
  claimed: number;
  replies: number;
  /** Distinct conversations the agent claimed, replied in or resolved. */
  conversations: number;
  resolved: number;
}

export interface Insights {
  /** The range, inclusive, as UTC days (YYYY-MM-DD). */
  from: string;
  to: string;
  totals: SliceFigures;
  handoffsByReason: Record<HandoffReasonGroup, number>;
  byDay: ({ day: string } & SliceFigures)[];
  byChannel: ({ channel: string } & SliceFigures)[];
  byLanguage: ({ language: Locale } & SliceFigures)[];
  intents: IntentFigures[];
  agents: {
    firstReply: DurationFigures;
    resolve: DurationFigures;
    perAgent: AgentFigures[];
    escalations: number;
    idleReturns: number;
    handbacks: number;
  };
  safety: {
    secretsRedacted: Partial<Record<SecretKind, number>>;
    /** Contacts the bot said are not official: lookalikes and unlisted ones. */
    fakeContacts: number;
    lookalikes: number;
    unlisted: number;
    /** Conversations queued as scams (a scam report or scam signals). */
    scamReports: number;
  };
}
