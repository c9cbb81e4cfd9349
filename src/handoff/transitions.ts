import { ConflictError, ForbiddenError } from "../errors.ts";
import type { AgentRole, ConversationRecord, MessageRecord } from "../store/records.ts";

/**
 * The ownership state machine of product.md §5, as pure functions from a head to the next head:
 * bot → waiting → agent → bot | closed. Each result carries version + 1, so the store's conditional
 * write turns a concurrent change into a ConflictError; an illegal transition is a ConflictError too.
 */
export interface Actor {
  id: string;
  role: AgentRole;
  /** Shown to other agents; ids are not names. */
  name?: string;
}

function next(
  head: ConversationRecord,
  at: string,
  changes: Partial<ConversationRecord>,
): ConversationRecord {
  return { ...head, ...changes, version: head.version + 1, updatedAt: at };
}

function without(head: ConversationRecord, ...names: (keyof ConversationRecord)[]): ConversationRecord {
  const copy = { ...head };
  for (const name of names) delete copy[name];
  return copy;
}

export function claim(head: ConversationRecord, agent: Actor, at: string): ConversationRecord {
  if (head.status === "agent")
    throw new ConflictError(`already claimed by ${head.claimedBy ?? "another agent"}`);
  if (head.status !== "waiting") throw new ConflictError(`conversation is ${head.status}, not waiting`);
  return next(without(head, "escalatedAt"), at, {
    status: "agent",
    claimedBy: agent.id,
    ...(agent.name ? { claimedByName: agent.name } : {}),
    claimedAt: at,
    agentActivityAt: at,
  });
}

/** Only the agent holding a conversation (or an admin) may act in it. */
export function assertHolds(head: ConversationRecord, agent: Actor): void {
  if (head.status !== "agent") throw new ConflictError(`conversation is ${head.status}: claim it first`);
  if (head.claimedBy !== agent.id && agent.role !== "admin") {
    throw new ForbiddenError(`conversation is held by ${head.claimedBy}`);
  }
}

export function handBack(head: ConversationRecord, agent: Actor, at: string): ConversationRecord {
  assertHolds(head, agent);
  return returnToBot(head, at);
}

/** Back to the bot: no agent, no queue; the dialogue starts over its miss count. */
export function returnToBot(head: ConversationRecord, at: string): ConversationRecord {
  const cleared = without(
    head,
    "claimedBy",
    "claimedAt",
    "agentActivityAt",
    "waitingSince",
    "escalatedAt",
    "priority",
  );
  return next(cleared, at, { status: "bot", dialogue: { ...head.dialogue, misses: 0 } });
}

export function resolve(head: ConversationRecord, agent: Actor, at: string): ConversationRecord {
  if (head.status === "closed") throw new ConflictError("conversation is already resolved");
  if (head.status === "agent") assertHolds(head, agent);
  const cleared = without(
    head,
    "claimedBy",
    "claimedByName",
    "claimedAt",
    "agentActivityAt",
    "waitingSince",
    "escalatedAt",
  );
  return next(cleared, at, { status: "closed" });
}

/** An agent's reply or internal note: the holder writes in a held conversation; notes also while waiting. */
export function agentWrites(
  head: ConversationRecord,
  agent: Actor,
  kind: "agent" | "note",
  text: string,
  at: string,
  expiresAt: number,
): { head: ConversationRecord; message: MessageRecord } {
  if (kind === "agent" || head.status !== "waiting") assertHolds(head, agent);
  const updated = next(head, at, kind === "agent" ? { agentActivityAt: at } : {});
  const message: MessageRecord = {
    conversationId: head.conversationId,
    id: `${updated.version}.0`,
    version: updated.version,
    index: 0,
    from: kind,
    text,
    agentId: agent.id,
    ...(agent.name ? { agentName: agent.name } : {}),
    at,
    expiresAt,
  };
  return { head: updated, message };
}
