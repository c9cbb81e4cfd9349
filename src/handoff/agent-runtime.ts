import type { Runtime } from "../runtime.ts";
import { AgentStore } from "../store/agent-store.ts";
import { AgentAuthenticator } from "./agent-auth.ts";
import type { AgentGroup } from "./agent-group.ts";
import { agentGroupFor } from "./agent-group-runtime.ts";
import { AgentService } from "./agent-service.ts";
import { type Deliver, deliveryFor } from "./delivery.ts";
import { runHandoffJobs } from "./jobs.ts";

export interface AgentRuntime {
  agents: AgentStore;
  /** The agents' Telegram group, when TELEGRAM_AGENT_CHAT_ID is set and Telegram is on. */
  group: AgentGroup | undefined;
  auth: AgentAuthenticator;
  service: AgentService;
  deliver: Deliver;
  runJobs(): Promise<{ returned: number; escalated: number }>;
}

const built = new WeakMap<Runtime, AgentRuntime>();

/** The agent side of a runtime, built once per cold start (kept out of the bot's functions). */
export function agentRuntime(runtime: Runtime): AgentRuntime {
  const existing = built.get(runtime);
  if (existing) return existing;
  const { config, store, brain } = runtime;
  const agents = new AgentStore(store.client, config.env.TABLE_NAME);
  const deliver = deliveryFor(config);
  const group = agentGroupFor(runtime);
  const service = new AgentService(store, agents, brain.knowledge, deliver, {
    retentionDays: config.env.RETENTION_DAYS,
    slaMinutes: config.env.HANDOFF_SLA_MINUTES,
    ...(group ? { announce: (id: string, text: string) => group.announce(id, text) } : {}),
  });
  group?.useService(async () => service);
  const result: AgentRuntime = {
    agents,
    group,
    auth: new AgentAuthenticator(agents),
    service,
    deliver,
    runJobs: () =>
      runHandoffJobs(store, service, brain.knowledge, deliver, {
        idleMinutes: config.env.AGENT_IDLE_MINUTES,
        slaMinutes: config.env.HANDOFF_SLA_MINUTES,
        ...(group ? { group } : {}),
      }),
  };
  built.set(runtime, result);
  return result;
}
