import { computeInsights, type Insights } from "../core/insights.ts";
import { isIntentId } from "../core/intents.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import { type DynamoInsightsStore, daysBetween } from "../store/insights-store.ts";
import type { LabelRecord } from "../store/records.ts";
import type { AgentIdentity } from "./agent-auth.ts";

/** A range of UTC days, inclusive (already validated: YYYY-MM-DD, from ≤ to). */
export interface DayRange {
  from: string;
  to: string;
}

export interface InsightsServiceOptions {
  now?: () => Date;
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
    };
    await this.store.putLabel(label);
    await this.options.audit(agent, "label", conversationId, `${messageId} → ${intent}`);
    return label;
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
