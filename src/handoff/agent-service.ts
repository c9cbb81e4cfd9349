import type { Knowledge, MessageKey } from "../core/content.ts";
import type { AgentFact } from "../core/insights.ts";
import { LOCALES, type Locale } from "../core/locale.ts";
import { mask } from "../core/mask.ts";
import { render } from "../core/render.ts";
import { screenOutbound } from "../core/safety/outbound.ts";
import type { SecretKind } from "../core/safety/secrets.ts";
import { ConflictError, ForbiddenError, NotFoundError, UnofficialContactError } from "../errors.ts";
import { errorFields, logger } from "../log.ts";
import type { AgentStore } from "../store/agent-store.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import {
  type AuditRecord,
  type ConversationRecord,
  type MessageRecord,
  newSubject,
} from "../store/records.ts";
import type { AgentIdentity } from "./agent-auth.ts";
import type { Deliver } from "./delivery.ts";
import { say } from "./dialogue.ts";
import { agentWrites, claim, handBack, resolve } from "./transitions.ts";

export interface AgentServiceOptions {
  retentionDays: number;
  /** Unclaimed longer than this → marked overdue and escalated. */
  slaMinutes: number;
  now?: () => Date;
  /** Tells the agents' group what happened in a conversation (best effort). */
  announce?: (conversationId: string, text: string) => Promise<void>;
  /**
   * For channels with a messaging window (src/channels/registry.ts): which of the channel's
   * platforms the user is on, and until when a reply reaches them.
   */
  reach?: (channel: string, userKey: string, userWroteAt: string) => Reach | undefined;
}

export interface Reach {
  platform: string;
  replyUntil: string;
}

/** How an action is reported in the agents' group; an agent typing there already sees their reply. */
export interface ActOptions {
  announce?: boolean;
}

/** What agents see of a conversation; platform ids masked below the admin role. */
export interface ConversationSummary {
  id: string;
  status: ConversationRecord["status"];
  priority: "normal" | "urgent";
  channel: string;
  /** For channels of several platforms (Meta): which one the user wrote from. */
  platform?: string;
  /** For channels with a messaging window: until when the platform takes an agent's reply. */
  replyUntil?: string;
  language: string;
  user: string;
  waitingSince?: string;
  /** The agent holding it: id and name. */
  claimedBy?: { id: string; name: string };
  updatedAt: string;
  flags: string[];
  overdue: boolean;
}

const ATTEMPTS = 8;

/**
 * The agent API's use cases: list, read, claim, reply, note, hand back, resolve, audit. Every
 * change re-reads the head and writes it under its version; a lost race with a user message is
 * retried, a lost race with another agent is a 409. Every action is audited.
 */
export class AgentService {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly agents: AgentStore,
    private readonly knowledge: Knowledge,
    private readonly deliver: Deliver,
    private readonly options: AgentServiceOptions,
  ) {}

  /**
   * The canned replies in every language with the brand, hours and registry contacts filled in, so
   * that what the console inserts is what the user reads (and passes the reply's safety check).
   */
  cannedReplies(): { id: string; label: string; text: Record<Locale, string> }[] {
    return this.knowledge.cannedReplies.map((reply) => ({
      id: reply.id,
      label: reply.label,
      text: Object.fromEntries(
        LOCALES.map((locale) => [locale, render(reply.text[locale], this.knowledge, locale)]),
      ) as Record<Locale, string>,
    }));
  }

  async list(agent: AgentIdentity, status: "waiting" | "agent" | "mine"): Promise<ConversationSummary[]> {
    const heads = await this.conversations.listQueue(status === "waiting" ? "waiting" : "held");
    const mine = status === "mine" ? heads.filter((h) => h.claimedBy === agent.id) : heads;
    return mine.map((h) => this.summary(h, agent));
  }

  async read(agent: AgentIdentity, id: string) {
    const head = await this.head(id);
    const messages = await this.conversations.listMessages(id, undefined, 1000);
    return {
      conversation: this.summary(head, agent),
      messages: messages.map((m) => ({
        id: m.id,
        from: m.from,
        text: m.text,
        at: m.at,
        ...(m.agentId ? { agent: { id: m.agentId, name: m.agentName ?? m.agentId } } : {}),
      })),
    };
  }

  async claim(agent: AgentIdentity, id: string): Promise<ConversationSummary> {
    const head = await this.change(id, (h, at) => ({
      head: claim(h, agent, at),
      facts: [agentFact(h, at, "claim", agent, { sinceQueued: true })],
    }));
    await this.audit(agent, "claim", id);
    await this.tell(id, `✅ ${agent.name} claimed this conversation`);
    return this.summary(head, agent);
  }

  /**
   * An agent's reply or note. Both pass the safety layer before anything is stored: normalised,
   * secrets redacted. A reply that names a contact the registry does not list is refused with a 422
   * naming it (nothing stored, delivered or announced) and the refusal is audited.
   */
  async write(
    agent: AgentIdentity,
    id: string,
    kind: "agent" | "note",
    text: string,
    options: ActOptions = {},
  ) {
    let message: MessageRecord | undefined;
    let secrets: SecretKind[] = [];
    let head: ConversationRecord;
    try {
      head = await this.change(id, (h, at) => {
        const screened = screenOutbound(text, this.knowledge, h.language);
        const result = agentWrites(h, agent, kind, screened.text, at, this.expiresAt());
        if (kind === "agent" && screened.unofficial.length > 0)
          throw new UnofficialContactError(screened.unofficial);
        message = result.message;
        secrets = screened.secrets;
        // The first reply since the claim: claiming sets agentActivityAt, a reply moves it on.
        const first = h.agentActivityAt !== undefined && h.agentActivityAt === h.claimedAt;
        const facts =
          kind === "agent"
            ? [agentFact(h, at, "reply", agent, first ? { sinceQueued: true, firstReply: true } : {})]
            : [];
        return { head: result.head, messages: [result.message], facts };
      });
    } catch (error) {
      if (error instanceof UnofficialContactError)
        await this.audit(agent, "reply_refused", id, `unofficial: ${error.contacts.join(" ")}`.slice(0, 200));
      throw error;
    }
    if (!message) throw new Error("no message written");
    const written: MessageRecord = message;
    if (kind === "agent") await this.deliver(head, written.text, "agent");
    const redacted = secrets.length > 0 ? `redacted: ${secrets.join(",")}` : undefined;
    await this.audit(agent, kind === "agent" ? "reply" : "note", id, redacted);
    if (options.announce !== false)
      await this.tell(id, `${kind === "agent" ? "🧑‍💼" : "📝"} ${agent.name}: ${written.text}`);
    return {
      id: written.id,
      from: written.from,
      text: written.text,
      at: written.at,
      agent: { id: agent.id, name: agent.name },
      ...(secrets.length > 0 ? { redacted: secrets } : {}),
    };
  }

  async handBack(agent: AgentIdentity, id: string): Promise<ConversationSummary> {
    return this.finish(agent, id, "handback", "handbackNotice", (h, at) => handBack(h, agent, at), {});
  }

  async resolve(agent: AgentIdentity, id: string): Promise<ConversationSummary> {
    const summary = await this.finish(
      agent,
      id,
      "resolve",
      "resolvedNotice",
      (h, at) => resolve(h, agent, at),
      { sinceQueued: true },
    );
    const head = await this.conversations.loadHeadById(id);
    if (head?.status === "closed") await this.conversations.archiveHead(head);
    return summary;
  }

  async auditLog(agent: AgentIdentity): Promise<AuditRecord[]> {
    if (agent.role !== "admin") throw new ForbiddenError("the audit log is for admins");
    return this.agents.listAudit(this.now());
  }

  /** A transition that also tells the user (in their language) and records it in the transcript. */
  private async finish(
    agent: AgentIdentity,
    id: string,
    action: string,
    notice: MessageKey,
    transition: (head: ConversationRecord, at: string) => ConversationRecord,
    timing: FactTiming,
  ): Promise<ConversationSummary> {
    let text = "";
    const head = await this.change(id, (h, at) => {
      const next = transition(h, at);
      text = say(this.knowledge, h.language, notice);
      const message = this.botMessage(next, text, at);
      const fact = agentFact(h, at, action === "resolve" ? "resolve" : "handback", agent, timing);
      return { head: next, messages: [message], facts: [fact] };
    });
    await this.deliver(head, text, "bot");
    await this.audit(agent, action, id);
    await this.tell(
      id,
      `${action === "resolve" ? "✔️ resolved" : "↩️ handed back to the bot"} by ${agent.name}`,
    );
    return this.summary(head, agent);
  }

  /** Best effort: a failure to tell the agents' group never fails the action itself. */
  async tell(conversationId: string, text: string): Promise<void> {
    try {
      await this.options.announce?.(conversationId, text);
    } catch (error) {
      logger.warn("agents' group not told", errorFields(error));
    }
  }

  botMessage(head: ConversationRecord, text: string, at: string): MessageRecord {
    return {
      conversationId: head.conversationId,
      id: `${head.version}.0`,
      version: head.version,
      index: 0,
      from: "bot",
      text,
      at,
      expiresAt: this.expiresAt(),
    };
  }

  /** Re-reads and re-applies on a version conflict; a transition that became illegal throws its own 409. */
  async change(
    id: string,
    apply: (
      head: ConversationRecord,
      at: string,
    ) => { head: ConversationRecord; messages?: MessageRecord[]; facts?: AgentFact[] },
  ): Promise<ConversationRecord> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.head(id);
      // A head from before insights subjects gets one now, so its facts still count as one conversation.
      const current = read.subject ? read : { ...read, subject: newSubject() };
      const { head, messages, facts } = apply(current, this.now().toISOString());
      try {
        await this.conversations.saveHead(head, current.version);
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 8 * attempt));
        continue;
      }
      const stored = (facts ?? []).map((fact) => ({ fact, version: head.version }));
      if (messages || stored.length > 0) await this.conversations.putMessages(messages ?? [], stored);
      return head;
    }
  }

  async audit(
    agent: { id: string },
    action: string,
    conversationId?: string,
    detail?: string,
  ): Promise<void> {
    await this.agents.audit({
      at: this.now().toISOString(),
      actor: agent.id,
      action,
      ...(conversationId ? { conversationId } : {}),
      ...(detail ? { detail } : {}),
    });
  }

  private async head(id: string): Promise<ConversationRecord> {
    const head = await this.conversations.loadHeadById(id);
    if (!head) throw new NotFoundError(`no conversation ${id}`);
    return head;
  }

  private summary(head: ConversationRecord, agent: AgentIdentity): ConversationSummary {
    const waitedMs = head.waitingSince ? this.now().getTime() - Date.parse(head.waitingSince) : 0;
    return {
      id: head.conversationId,
      status: head.status,
      priority: head.priority ?? "normal",
      channel: head.channel,
      ...this.options.reach?.(head.channel, head.userKey, head.userWroteAt ?? head.updatedAt),
      language: head.language,
      user: agent.role === "admin" ? head.userKey : mask(head.userKey),
      ...(head.waitingSince ? { waitingSince: head.waitingSince } : {}),
      ...(head.claimedBy
        ? { claimedBy: { id: head.claimedBy, name: head.claimedByName ?? head.claimedBy } }
        : {}),
      updatedAt: head.updatedAt,
      flags: head.flags ?? [],
      overdue: head.status === "waiting" && waitedMs > this.options.slaMinutes * 60_000,
    };
  }

  private expiresAt(): number {
    return Math.floor(this.now().getTime() / 1000) + this.options.retentionDays * 86_400;
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

interface FactTiming {
  /** Record the seconds since the conversation entered the queue. */
  sinceQueued?: boolean;
  firstReply?: boolean;
}

/** Pure: an agent's (or the job's) action as a fact for insights, from the head before it. */
export function agentFact(
  head: ConversationRecord,
  at: string,
  action: AgentFact["action"],
  agent: { id: string; name?: string },
  timing: FactTiming = {},
): AgentFact {
  const queued = head.waitingSince ? Date.parse(head.waitingSince) : Number.NaN;
  const seconds = Math.max(0, Math.round((Date.parse(at) - queued) / 1000));
  return {
    kind: "agent",
    subject: head.subject ?? "",
    at,
    channel: head.channel,
    language: head.language,
    action,
    agentId: agent.id,
    ...(agent.name ? { agentName: agent.name } : {}),
    ...(timing.sinceQueued && Number.isFinite(queued) ? { sinceQueuedSeconds: seconds } : {}),
    ...(timing.firstReply ? { firstReply: true as const } : {}),
  };
}
