import type { Locale } from "./locale.ts";
import type { SecretKind } from "./safety/secrets.ts";

/**
 * Insights: what the bot and the agents achieved, computed from facts. A fact is one turn of the
 * bot path or one agent action, written in the same store request as the turn's messages; it holds
 * no message text and nothing that identifies a user: its `subject` is a random id the conversation
 * head keeps, so once the head is gone (forgotten, or expired with the transcript) no fact can be
 * tied to a user or a conversation again. This module
 * is pure: the store reads facts, `computeInsights` turns them into figures.
 */

/** Why a conversation reached the queue. */
export const HANDOFF_REASONS = ["requested", "after_misses", "urgent", "scam"] as const;
export type HandoffReasonGroup = (typeof HANDOFF_REASONS)[number];

/** One turn of the bot path (a user message or button press). */
export interface TurnFact {
  kind: "turn";
  /** The conversation's random insights id (ConversationRecord.subject), not its conversation id. */
  subject: string;
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
  /** "Did this help?" pressed, for the answer of `intent`. */
  feedback?: { intent: string; helpful: boolean };
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
  /** As TurnFact.subject. */
  subject: string;
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

const EMPTY_REASONS = (): Record<HandoffReasonGroup, number> => ({
  requested: 0,
  after_misses: 0,
  urgent: 0,
  scam: 0,
});

/**
 * The figures of a range from its facts. A conversation counts in the slice where it opened; it is
 * contained when no turn of it in the range reached the queue and no agent claimed it. `days` are
 * the range's UTC days (every one gets a row, zeros included, so charts show the gaps).
 */
export function computeInsights(facts: readonly Fact[], days: readonly string[]): Insights {
  const turns = facts.filter((f): f is TurnFact => f.kind === "turn");
  const actions = facts.filter((f): f is AgentFact => f.kind === "agent");
  const queued = new Set<string>();
  for (const t of turns) if (t.handoff) queued.add(t.subject);
  for (const a of actions) if (a.action === "claim") queued.add(a.subject);

  const slice = (keep: (t: TurnFact) => boolean): SliceFigures => figures(turns.filter(keep), queued);
  const channels = [...new Set(turns.map((t) => t.channel))].sort();
  const languages: Locale[] = ["zh-Hans", "zh-Hant", "en"];

  const handoffsByReason = EMPTY_REASONS();
  for (const t of turns) if (t.handoff) handoffsByReason[t.handoff]++;

  return {
    from: days[0] ?? "",
    to: days.at(-1) ?? "",
    totals: slice(() => true),
    handoffsByReason,
    byDay: days.map((day) => ({ day, ...slice((t) => t.at.startsWith(day)) })),
    byChannel: channels.map((channel) => ({ channel, ...slice((t) => t.channel === channel) })),
    byLanguage: languages.map((language) => ({ language, ...slice((t) => t.language === language) })),
    intents: intentFigures(turns),
    agents: agentFigures(actions),
    safety: safetyFigures(turns),
  };
}

function figures(turns: readonly TurnFact[], queued: ReadonlySet<string>): SliceFigures {
  const opened = new Set(turns.filter((t) => t.opened).map((t) => t.subject));
  const contained = [...opened].filter((id) => !queued.has(id)).length;
  const count = (keep: (t: TurnFact) => boolean) => turns.filter(keep).length;
  const helpful = count((t) => t.feedback?.helpful === true);
  const notHelpful = count((t) => t.feedback?.helpful === false);
  const clarified = count((t) => t.clarified === true);
  const pickedTopic = count((t) => t.pickedTopic === true);
  const outOfScope = count((t) => t.outOfScope === true);
  const botText = count((t) => t.input === "text" && !t.held);
  return {
    conversations: opened.size,
    userMessages: turns.length,
    contained,
    containment: rate(contained, opened.size),
    handoffs: count((t) => t.handoff !== undefined),
    helpful,
    notHelpful,
    csat: rate(helpful, helpful + notHelpful),
    clarified,
    pickedTopic,
    pickRate: rate(pickedTopic, clarified),
    outOfScope,
    outOfScopeRate: rate(outOfScope, botText),
  };
}

function intentFigures(turns: readonly TurnFact[]): IntentFigures[] {
  const by = new Map<
    string,
    { confidences: number[]; answered: number; helpful: number; notHelpful: number }
  >();
  const entry = (intent: string) => {
    let found = by.get(intent);
    if (!found) {
      found = { confidences: [], answered: 0, helpful: 0, notHelpful: 0 };
      by.set(intent, found);
    }
    return found;
  };
  for (const t of turns) {
    if (t.intent !== undefined && t.confidence !== undefined) entry(t.intent).confidences.push(t.confidence);
    if (t.answered) entry(t.answered).answered++;
    if (t.feedback) entry(t.feedback.intent)[t.feedback.helpful ? "helpful" : "notHelpful"]++;
  }
  return [...by.entries()]
    .map(([intent, e]) => ({
      intent,
      messages: e.confidences.length,
      meanConfidence: e.confidences.length > 0 ? round(mean(e.confidences)) : null,
      answered: e.answered,
      helpful: e.helpful,
      notHelpful: e.notHelpful,
      helpfulRate: rate(e.helpful, e.helpful + e.notHelpful),
    }))
    .sort((a, b) => b.messages - a.messages || a.intent.localeCompare(b.intent));
}

function agentFigures(actions: readonly AgentFact[]): Insights["agents"] {
  const seconds = (keep: (a: AgentFact) => boolean) =>
    actions.filter(keep).flatMap((a) => (a.sinceQueuedSeconds === undefined ? [] : [a.sinceQueuedSeconds]));
  const people = new Map<string, AgentFigures & { ids: Set<string> }>();
  for (const a of actions) {
    if (a.agentId === "system") continue;
    let figures = people.get(a.agentId);
    if (!figures) {
      figures = {
        agentId: a.agentId,
        name: a.agentName ?? a.agentId,
        claimed: 0,
        replies: 0,
        conversations: 0,
        resolved: 0,
        ids: new Set(),
      };
      people.set(a.agentId, figures);
    }
    if (a.agentName) figures.name = a.agentName;
    if (a.action === "claim") figures.claimed++;
    if (a.action === "reply") figures.replies++;
    if (a.action === "resolve") figures.resolved++;
    if (a.action === "claim" || a.action === "reply" || a.action === "resolve") figures.ids.add(a.subject);
  }
  const count = (action: AgentFact["action"]) => actions.filter((a) => a.action === action).length;
  return {
    firstReply: durations(seconds((a) => a.action === "reply" && a.firstReply === true)),
    resolve: durations(seconds((a) => a.action === "resolve")),
    perAgent: [...people.values()]
      .map(({ ids, ...figures }) => ({ ...figures, conversations: ids.size }))
      .sort((a, b) => b.conversations - a.conversations || a.name.localeCompare(b.name)),
    escalations: count("escalate"),
    idleReturns: count("idle_return"),
    handbacks: count("handback"),
  };
}

function safetyFigures(turns: readonly TurnFact[]): Insights["safety"] {
  const secretsRedacted: Partial<Record<SecretKind, number>> = {};
  let lookalikes = 0;
  let unlisted = 0;
  for (const t of turns) {
    for (const kind of t.secrets ?? []) secretsRedacted[kind] = (secretsRedacted[kind] ?? 0) + 1;
    lookalikes += t.contacts?.lookalike ?? 0;
    unlisted += t.contacts?.unlisted ?? 0;
  }
  return {
    secretsRedacted,
    fakeContacts: lookalikes + unlisted,
    lookalikes,
    unlisted,
    scamReports: turns.filter((t) => t.handoff === "scam").length,
  };
}

function durations(values: readonly number[]): DurationFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? null;
  return {
    count: sorted.length,
    meanSeconds: sorted.length > 0 ? round(mean(sorted)) : null,
    medianSeconds: at(0.5),
    p90Seconds: at(0.9),
  };
}

function rate(part: number, whole: number): Rate {
  return whole > 0 ? round(part / whole) : null;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
