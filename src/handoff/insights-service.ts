import { computeInsights, type Insights } from "../core/insights.ts";
import { isIntentId } from "../core/intents.ts";
import { missText } from "../core/miss-text.ts";
import { groupSimilar, type SimilarGroup } from "../core/similar.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import { type DynamoInsightsStore, daysBetween } from "../store/insights-store.ts";
import type { LabelRecord, MissReason } from "../store/records.ts";
import type { AgentIdentity } from "./agent-auth.ts";

/** A range of UTC days, inclusive (already validated: YYYY-MM-DD, from ≤ to). */
export interface DayRange {
  from: string;
  to: string;
}

/** One unanswered user message, as the misses list shows it (text without secrets or contacts). */
export interface MissItem {
  conversationId: string;
  messageId: string;
  at: string;
  channel: string;
  language: string;
  reason: MissReason;
  text: string;
}

export interface MissesList {
  groups: SimilarGroup<MissItem>[];
  /** What a message may be labelled with: every intent, with its English label. */
  intents: { id: string; label: string }[];
}

export interface InsightsServiceOptions {
  now?: () => Date;
  /** Every intent with its English label, for labelling. */
  intents: { id: string; label: string }[];

  /** Audits an agent's action (AgentService.audit). */
  audit: (agent: { id: string }, action: string, conversationId?: string, detail?: string) => Promise<void>;
}

/**
 * Insights for admins (figures and the misses list) and labels for anyone who can read the
 * conversation: the intent a user message should have had, audited, for `content:suggest`.
 */
export class InsightsService {
  constructor(
    private readonly store: DynamoInsightsStore,
    private readonly conversations: Pick<ConversationStore, "loadHeadById">,
    private readonly options: InsightsServiceOptions,
  ) {}

  async insights(agent: AgentIdentity, range: DayRange): Promise<Insights> {
    if (agent.role !== "admin") throw new ForbiddenError("insights are for admins");
    const facts = await this.store.listFacts(range.from, range.to);
    return computeInsights(facts, daysBetween(range.from, range.to));
  }

  /**
   * User messages the bot could not answer (low confidence, out of scope) or whose answer the user
   * called unhelpful, grouped by similarity. Text comes from the transcript (gone with it) through
   * missText: no secret, no contact the user wrote.
   */
  async misses(agent: AgentIdentity, range: DayRange): Promise<MissesList> {
    if (agent.role !== "admin") throw new ForbiddenError("insights are for admins");
    // One entry per message: a later reason (an unhelpful answer to a miss) replaces an earlier one.
    const refs = new Map<string, Omit<MissItem, "text">>();
    for (const miss of await this.store.listMisses(range.from, range.to)) {
      const { expiresAt: _e, ...ref } = miss;
      refs.set(`${miss.conversationId}/${miss.messageId}`, ref);
    }
    const messages = await this.store.messages([...refs.values()]);
    const texts = new Map(
      messages.filter((m) => m.from === "user").map((m) => [`${m.conversationId}/${m.id}`, m.text]),
    );
    const items: MissItem[] = [];
    for (const [key, ref] of refs) {
      const text = texts.get(key);
      if (text !== undefined) items.push({ ...ref, text: missText(text) });
    }
    const groups = groupSimilar(items, (item) => item.text);
    return { groups, intents: this.options.intents };
  }

  async label(
    agent: AgentIdentity,
    conversationId: string,
    messageId: string,
    intent: string,
  ): Promise<LabelRecord> {
    if (!isIntentId(intent))
      throw new ValidationError(`body: unknown intent ${JSON.stringify(intent).slice(0, 60)}`, {
        field: "intent",
      });
    // The same reach as reading the conversation: it must exist (and not have expired).
    const head = await this.conversations.loadHeadById(conversationId);
    if (!head) throw new NotFoundError(`no conversation ${conversationId}`);
    const message = await this.store.message(conversationId, messageId);
    if (message?.from !== "user") {
      throw new NotFoundError(`no user message ${messageId} in conversation ${conversationId}`);
    }
    const label: LabelRecord = {
      conversationId,
      messageId,
      intent,
      agentId: agent.id,
      at: this.now().toISOString(),
      expiresAt: message.expiresAt,
    };
    await this.store.putLabel(label);
    await this.options.audit(agent, "label", conversationId, `${messageId} → ${intent}`);
    return label;
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
