import type { AgentRoom } from "../channels/types.ts";
import type { Knowledge } from "../core/content.ts";
import { errorFields, logger } from "../log.ts";
import type { ConversationStore } from "../store/conversation-store.ts";
import { type AgentService, agentFact } from "./agent-service.ts";
import type { Deliver } from "./delivery.ts";
import { say } from "./dialogue.ts";
import { returnToBot } from "./transitions.ts";

export interface JobOptions {
  /** A held conversation with no agent action for this long goes back to the bot. */
  idleMinutes: number;
  /** A waiting conversation unclaimed for this long is escalated (once). */
  slaMinutes: number;
  now?: () => Date;
  /** With the agents' group: topics for waiting conversations that have none, escalations posted there. */
  group?: Pick<AgentRoom, "ensureTopic">;
}

const SYSTEM = { id: "system" };

/**
 * The handoff's scheduled job (every minute in AWS, every minute under `npm start`, and
 * `cli jobs:run`): idle conversations back to the bot with a message to the user, and unclaimed
 * conversations past the SLA escalated — marked overdue for the console, audited, logged.
 */
export async function runHandoffJobs(
  conversations: ConversationStore,
  service: AgentService,
  knowledge: Knowledge,
  deliver: Deliver,
  options: JobOptions,
): Promise<{ returned: number; escalated: number }> {
  const now = (options.now ?? (() => new Date()))();
  let returned = 0;
  let escalated = 0;
  for (const head of await conversations.listQueue("held")) {
    const last = Date.parse(head.agentActivityAt ?? head.claimedAt ?? head.updatedAt);
    if (now.getTime() - last < options.idleMinutes * 60_000) continue;
    const text = say(knowledge, head.language, "idleNotice");
    const back = await service.change(head.conversationId, (h, at) => {
      if (h.version !== head.version) throw new Error("changed since listed");
      const next = returnToBot(h, at);
      return {
        head: next,
        messages: [service.botMessage(next, text, at)],
        facts: [agentFact(h, at, "idle_return", SYSTEM)],
      };
    });
    await deliver(back, text, "bot").catch((error: unknown) =>
      logger.warn("idle notice not delivered", { channel: back.channel, ...errorFields(error) }),
    );
    await service.audit(SYSTEM, "idle-return", head.conversationId);
    returned++;
  }
  for (const head of await conversations.listQueue("waiting")) {
    if (options.group) await options.group.ensureTopic(head);
    const since = Date.parse(head.waitingSince ?? head.updatedAt);
    if (head.escalatedAt || now.getTime() - since < options.slaMinutes * 60_000) continue;
    await service.change(head.conversationId, (h, at) => ({
      head: { ...h, escalatedAt: at, version: h.version + 1 },
      facts: [agentFact(h, at, "escalate", SYSTEM, { sinceQueued: true })],
    }));
    await service.audit(SYSTEM, "escalate", head.conversationId);
    const minutes = Math.round((now.getTime() - since) / 60_000);
    await service.tell(
      head.conversationId,
      `⏰ waiting ${minutes} min without an agent (SLA ${options.slaMinutes} min)`,
    );
    logger.warn("conversation past SLA", {
      priority: head.priority ?? "normal",
      waitedMinutes: Math.round((now.getTime() - since) / 60_000),
    });
    escalated++;
  }
  return { returned, escalated };
}
