import type { AgentRoom, InboundMessage } from "../channels/types.ts";
import type { Brain } from "../config.ts";
import { isOpen, nextOpening } from "../core/hours.ts";
import type { HandoffReasonGroup, TurnFact } from "../core/insights.ts";
import type { Locale } from "../core/locale.ts";
import {
  BUTTON,
  type Decision,
  decide,
  type Inbound,
  type PolicyOptions,
  type Reply,
  secretWarningReply,
} from "../core/policy.ts";
import { render } from "../core/render.ts";
import { redactSecrets, type SecretKind } from "../core/safety/secrets.ts";
import { normaliseText } from "../core/text.ts";
import { ConflictError, ServiceUnavailableError, TooManyRequestsError } from "../errors.ts";
import { errorFields, logger, MetricUnit, publishMetrics, TURNS_ROUTE } from "../log.ts";
import type { ConversationStore, HeadSnapshot } from "../store/conversation-store.ts";
import {
  type ConversationRecord,
  type ConversationStatus,
  conversationIdFor,
  type MessageRecord,
  type MissRecord,
  newSubject,
  RECENT_EVENTS,
  type SeenEvent,
  type StoredFact,
} from "../store/records.ts";

export type { InboundMessage };

export interface TurnOutcome {
  conversationId: string;
  status: ConversationStatus;
  replies: Reply[];
  /** True when the event had been handled before and its stored replies were returned. */
  duplicate: boolean;
  /** When the turn was first handled (for a duplicate, the original turn). */
  at: string;
  /** The conversation's language, for anything a channel adds around the replies. */
  language: Locale;
  /** The user's message as stored (secrets redacted), for a channel that shows it back (the web chat). */
  message?: StoredUserMessage;
}

export interface StoredUserMessage {
  id: string;
  text: string;
  at: string;
}

export interface BotDependencies {
  store: ConversationStore;
  brain: Pick<Brain, "classifier" | "knowledge">;
  retentionDays: number;
  now?: () => Date;
  policy?: Partial<PolicyOptions>;
  /** The per-user rate limit (default MESSAGES_PER_MINUTE). */
  messagesPerMinute?: number;
  /** How long lost races are retried before the user is told the conversation is busy. */
  raceBudgetMs?: number;
  /** Told after a turn is stored that involves agents (the agents' Telegram group); never fails a turn. */
  agents?: HandoffObserver;
}

/** The part of an agents' room the bot path tells: a conversation queued, a held user writing. */
export type HandoffObserver = Pick<AgentRoom, "queued" | "userWrote">;

/**
 * Concurrent writers to one conversation are usually few (a user's burst, an agent's claim); a lost
 * race re-reads after a random back-off that grows with each attempt (full jitter), for at most
 * RACE_BUDGET_MS. Past that the user is told the conversation is busy (503, Retry-After), never a
 * conflict with internal ids.
 */
const RACE_BUDGET_MS = 8000;
const BACKOFF_CAP_MS = 500;
/**
 * The bot path: read the user's head once, decide, write the head under a version check, then the
 * turn's message items. A lost race re-reads; if the winner was this very event, its replies are
 * returned, so an event delivered five times at once is stored and answered once.
 */
export async function handleInbound(deps: BotDependencies, message: InboundMessage): Promise<TurnOutcome> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const snapshot = await deps.store.loadHead(message.userKey);
    const head = snapshot.current;
    const seen = message.eventId ? head?.recentEvents.find((e) => e.id === message.eventId) : undefined;
    if (head && seen) return replay(deps.store, head, seen);
    refuseFlood(deps, head);
    const turn = planTurn(deps, snapshot, message);
    if (turn.head.status === "waiting" && head?.status !== "waiting") await acknowledgeQueue(deps, turn.head);
    try {
      await deps.store.saveHead(turn.head, snapshot.stored?.version ?? 0);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (Date.now() - started > (deps.raceBudgetMs ?? RACE_BUDGET_MS)) {
        throw new ServiceUnavailableError("this conversation is busy; try again in a moment", 1, {
          cause: error,
        });
      }
      const backoff = Math.min(BACKOFF_CAP_MS, 4 * 2 ** Math.min(attempt, 10));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoff));
      continue;
    }
    await deps.store.putMessages(turn.head.lastMessages, factsOf(turn.head), missesOf(turn.head));
    if (turn.head.lastFact?.kind === "turn") publishTurnMetrics(turn.head.lastFact);
    await tellAgents(deps, head, turn.head);
    return outcome(turn.head, turn.head.lastMessages, false);
  }
}

async function replay(store: ConversationStore, head: ConversationRecord, seen: SeenEvent) {
  if (seen.version === head.version) {
    // Idempotent: the same items under the same keys, in case the first delivery stopped in between.
    await store.putMessages(head.lastMessages, factsOf(head), missesOf(head));
    return outcome(head, head.lastMessages, true);
  }
  return outcome(head, await store.messagesAtVersion(head.conversationId, seen.version), true);
}

/**
 * The insight counters CloudWatch can alarm on, one EMF line per stored turn (not on replays), no
 * dimension but the route: nine custom metrics in all.
 */
function publishTurnMetrics(fact: TurnFact): void {
  const count = (n: number): [typeof MetricUnit.Count, number] => [MetricUnit.Count, n];
  publishMetrics(TURNS_ROUTE, {
    UserMessages: count(1),
    Conversations: count(fact.opened ? 1 : 0),
    Handoffs: count(fact.handoff ? 1 : 0),
    HelpfulFeedback: count(fact.feedback?.helpful === true ? 1 : 0),
    NotHelpfulFeedback: count(fact.feedback?.helpful === false ? 1 : 0),
    Misses: count(fact.miss ? 1 : 0),
    SecretsRedacted: count(fact.secrets?.length ?? 0),
    FakeContacts: count((fact.contacts?.lookalike ?? 0) + (fact.contacts?.unlisted ?? 0)),
    ScamReports: count(fact.handoff === "scam" ? 1 : 0),
  });
}

function factsOf(head: ConversationRecord): StoredFact[] {
  return head.lastFact ? [{ fact: head.lastFact, version: head.version }] : [];
}

function missesOf(head: ConversationRecord): MissRecord[] {
  return head.lastMiss ? [head.lastMiss] : [];
}

function outcome(
  head: ConversationRecord,
  messages: readonly MessageRecord[],
  duplicate: boolean,
): TurnOutcome {
  const replies = messages
    .filter((m) => m.from === "bot")
    .map((m): Reply => (m.buttons ? { text: m.text, buttons: m.buttons } : { text: m.text }));
  const at = messages[0]?.at ?? head.updatedAt;
  const user = messages.find((m) => m.from === "user");
  return {
    conversationId: head.conversationId,
    status: head.status,
    replies,
    duplicate,
    at,
    language: head.language,
    ...(user ? { message: { id: user.id, text: user.text, at: user.at } } : {}),
  };
}

/**
 * A user who sent more than the limit in the current minute gets a 429 with the seconds to the next
 * minute, and nothing is stored or answered. No person types that fast; a script does, and it must
 * not take the store's and the classifier's time from everyone else. The limit sits well above a
 * burst of retries (a page resending a hundred at once is still answered).
 */
function refuseFlood(deps: BotDependencies, head: ConversationRecord | undefined): void {
  const now = (deps.now ?? (() => new Date()))();
  const limit = deps.messagesPerMinute ?? MESSAGES_PER_MINUTE;
  if (head?.rate?.minute !== now.toISOString().slice(0, 16) || head.rate.count < limit) return;
  throw new TooManyRequestsError("too many messages this minute; wait a moment and send again", {
    retryAfterSeconds: 60 - now.getUTCSeconds(),
  });
}

/** Messages one user may send in a minute. */
export const MESSAGES_PER_MINUTE = 120;

/** Pure: the new head (with the turn's messages) from the snapshot and the message. */
export function planTurn(
  deps: BotDependencies,
  snapshot: HeadSnapshot,
  message: InboundMessage,
): { head: ConversationRecord } {
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400;
  const open = snapshot.current && snapshot.current.status !== "closed" ? snapshot.current : undefined;
  const seq = open ? open.seq : (snapshot.stored?.seq ?? 0) + 1;
  const version = (snapshot.stored?.version ?? 0) + 1;
  const conversationId = conversationIdFor(message.userKey, seq);
  const base = { conversationId, version, at, expiresAt };

  // The secret firewall: from here on only the normalised, redacted text exists for storage, logs
  // and agents.
  const redaction =
    message.content.type === "text" ? redactSecrets(normaliseText(message.content.text)) : undefined;
  const content: Inbound =
    message.content.type === "text" && redaction
      ? { ...message.content, text: redaction.text, secrets: redaction.kinds }
      : message.content;
  const secretShared = (redaction?.kinds.length ?? 0) > 0;
  const userMessage: MessageRecord = {
    ...base,
    id: `${version}.0`,
    index: 0,
    from: "user",
    text: userText(content, open?.lastMessages ?? []),
    ...(message.eventId ? { eventId: message.eventId } : {}),
  };
  const recentEvents = [...(snapshot.current?.recentEvents ?? [])];
  if (message.eventId) recentEvents.push({ id: message.eventId, version });

  // The per-user rate limit rides on the head, read and written anyway: no extra store request.
  const minute = at.slice(0, 16);
  const rate = {
    minute,
    count: snapshot.current?.rate?.minute === minute ? snapshot.current.rate.count + 1 : 1,
  };
  const common = {
    rate,
    conversationId,
    seq,
    channel: message.channel,
    userKey: message.userKey,
    version,
    recentEvents: recentEvents.slice(-RECENT_EVENTS),
    createdAt: open?.createdAt ?? at,
    updatedAt: at,
    userWroteAt: at,
    expiresAt,
    subject: open?.subject ?? newSubject(),
  };

  // While the conversation waits for or belongs to an agent, the bot keeps quiet and only records,
  // except to warn about a secret the user just pasted.
  if (open && (open.status === "waiting" || open.status === "agent")) {
    const warning: MessageRecord[] = [];
    if (redaction && secretShared) {
      const reply = secretWarningReply(redaction.kinds, open.language, deps.brain.knowledge);
      warning.push({ ...base, id: `${version}.1`, index: 1, from: "bot", ...reply });
    }
    const flagged = secretShared
      ? { priority: "urgent" as const, flags: addFlag(open.flags, "secret_shared") }
      : {};
    const lastFact: TurnFact = {
      ...factBase(common.subject, userMessage, message, open.language, content),
      held: true,
      ...(secretShared && redaction ? { secrets: redaction.kinds } : {}),
    };
    const { lastMiss: _earlier, ...held } = open;
    return {
      head: { ...held, ...common, ...flagged, lastMessages: [userMessage, ...warning], lastFact },
    };
  }

  const decision = decide(open?.dialogue, content, {
    knowledge: deps.brain.knowledge,
    rank: (text) => deps.brain.classifier.rank(text),
    ...(deps.policy ? { options: deps.policy } : {}),
  });
  if (decision.classification) {
    userMessage.intent = decision.classification.intent;
    userMessage.confidence = round(decision.classification.confidence);
  }
  const replies: MessageRecord[] = [];
  for (const action of decision.actions) {
    if (action.type !== "reply") continue;
    const index = replies.length + 1;
    replies.push({ ...base, id: `${version}.${index}`, index, from: "bot", ...action.reply });
  }
  // A safety flag (a pasted secret) is an urgent handoff too: an agent should follow up at once.
  const flag = decision.actions.find((a) => a.type === "flag");
  const handoff =
    decision.actions.find((a) => a.type === "handoff") ?? (flag ? { priority: "urgent" } : undefined);
  const status: ConversationStatus = handoff ? "waiting" : "bot";
  const urgent = handoff?.priority === "urgent" || open?.priority === "urgent";
  const flags = flag ? addFlag(open?.flags, flag.reason) : open?.flags;
  const lastFact = turnFact({
    subject: common.subject,
    user: userMessage,
    message,
    content,
    decision,
    opened: !open,
    previous: open?.lastMessages ?? [],
    ...(redaction ? { secrets: redaction.kinds } : {}),
  });
  const lastMiss = turnMiss(lastFact, userMessage, open?.lastMessages ?? []);
  return {
    head: {
      ...common,
      status,
      ...(handoff || urgent ? { priority: urgent ? "urgent" : "normal" } : {}),
      ...(handoff ? { waitingSince: at } : {}),
      ...(flags ? { flags } : {}),
      language: decision.state.locale,
      dialogue: decision.state,
      lastMessages: [userMessage, ...replies],
      lastFact,
      ...(lastMiss ? { lastMiss } : {}),
    },
  };
}

function factBase(
  subject: string,
  user: MessageRecord,
  message: InboundMessage,
  language: Locale,
  content: Inbound,
) {
  return {
    kind: "turn" as const,
    subject,
    at: user.at,
    channel: message.channel,
    language,
    input: content.type,
  };
}

/** Pure: what one bot-path turn amounted to, for insights; no text, nothing about the user. */
function turnFact(turn: {
  subject: string;
  user: MessageRecord;
  message: InboundMessage;
  content: Inbound;
  decision: Decision;
  opened: boolean;
  previous: readonly MessageRecord[];
  secrets?: SecretKind[];
}): TurnFact {
  const { decision, content, previous } = turn;
  const { signals, classification } = decision;
  const handoff = decision.actions.find((a) => a.type === "handoff");
  const flagged = decision.actions.some((a) => a.type === "flag");
  const reason: HandoffReasonGroup | undefined = handoff
    ? handoff.reason === "requested"
      ? signals.afterMisses
        ? "after_misses"
        : "requested"
      : "scam"
    : flagged
      ? "urgent"
      : undefined;
  const feedback = decision.actions.find((a) => a.type === "feedback");
  const clarifiedBefore = previous.some((m) => m.buttons?.some((b) => b.id === BUTTON.other));
  const picked = content.type === "button" && content.buttonId.startsWith("t:") && clarifiedBefore;
  return {
    ...factBase(turn.subject, turn.user, turn.message, decision.state.locale, content),
    ...(turn.opened ? { opened: true as const } : {}),
    ...(classification
      ? { intent: classification.intent, confidence: round(classification.confidence) }
      : {}),
    ...(signals.answered ? { answered: signals.answered } : {}),
    ...(signals.clarified ? { clarified: true as const } : {}),
    ...(picked ? { pickedTopic: true as const } : {}),
    ...(signals.outOfScope ? { outOfScope: true as const } : {}),
    ...(signals.miss ? { miss: true as const } : {}),
    ...(signals.offeredHuman ? { offeredHuman: true as const } : {}),
    ...(feedback ? { feedback: { intent: feedback.intent, helpful: feedback.helpful } } : {}),
    ...(reason ? { handoff: reason } : {}),
    ...(turn.secrets && turn.secrets.length > 0 ? { secrets: turn.secrets } : {}),
    ...(signals.contacts ? { contacts: signals.contacts } : {}),
  };
}

/**
 * Pure: the miss a turn records for the misses list: its own message when the bot could not answer
 * it, or the question whose answer the user just called unhelpful.
 */
function turnMiss(
  fact: TurnFact,
  user: MessageRecord,
  previous: readonly MessageRecord[],
): MissRecord | undefined {
  const about = { at: fact.at, channel: fact.channel, language: fact.language };
  if (fact.miss) {
    const reason = fact.outOfScope ? "out_of_scope" : "low_confidence";
    return {
      ...about,
      conversationId: user.conversationId,
      messageId: user.id,
      reason,
      expiresAt: user.expiresAt,
    };
  }
  const asked = previous.find((m) => m.from === "user");
  if (fact.feedback?.helpful !== false || !asked) return undefined;
  return {
    ...about,
    conversationId: asked.conversationId,
    messageId: asked.id,
    reason: "not_helpful",
    expiresAt: asked.expiresAt,
  };
}

/** Best effort: the agents' group learns of new queue entries and of what held users write. */
async function tellAgents(
  deps: BotDependencies,
  before: ConversationRecord | undefined,
  after: ConversationRecord,
) {
  const observer = deps.agents;
  if (!observer) return;
  const held = before?.status === "waiting" || before?.status === "agent";
  try {
    if (after.status === "waiting" && !held) await observer.queued(after);
    else if (held && after.lastMessages[0]) await observer.userWrote(after, after.lastMessages[0]);
  } catch (error) {
    logger.warn("agents not told", errorFields(error));
  }
}

/**
 * The one acknowledgement of a conversation entering the queue: its place, and when the team is
 * back if it is outside business hours. Costs one extra (count) query, on handoff turns only.
 */
async function acknowledgeQueue(deps: BotDependencies, head: ConversationRecord): Promise<void> {
  const { knowledge } = deps.brain;
  const locale = head.language;
  const now = (deps.now ?? (() => new Date()))();
  const position = await deps.store.queuePosition(head);
  const queued = position === 0 ? knowledge.messages.handoffNext : knowledge.messages.handoffQueued;
  const lines = [render(queued[locale], knowledge, locale, { position: String(position) })];
  const reopen = isOpen(knowledge.hours, now)
    ? undefined
    : nextOpening(knowledge.hours, now, knowledge, locale);
  if (reopen) lines.push(render(knowledge.messages.handoffClosed[locale], knowledge, locale, { reopen }));
  const index = head.lastMessages.length;
  const first = head.lastMessages[0];
  if (!first) return;
  head.lastMessages.push({
    conversationId: first.conversationId,
    id: `${head.version}.${index}`,
    version: head.version,
    index,
    from: "bot",
    text: lines.join("\n"),
    at: first.at,
    expiresAt: first.expiresAt,
  });
}

function addFlag(flags: readonly string[] | undefined, flag: string): string[] {
  return [...new Set([...(flags ?? []), flag])];
}

/** A button press is stored as the label the user saw, found among the last bot messages. */
function userText(content: Inbound, lastMessages: readonly MessageRecord[]): string {
  if (content.type === "text") return content.text;
  for (const m of lastMessages) {
    const button = m.buttons?.find((b) => b.id === content.buttonId);
    if (button) return button.label;
  }
  return content.buttonId;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
