import { CHANNEL_SETTINGS, isChannelName } from "../channels/registry.ts";
import { AgentAuthenticator } from "../handoff/agent-auth.ts";
import { AgentService } from "../handoff/agent-service.ts";
import { type Deliver, deliveryVia } from "../handoff/delivery.ts";
import { InsightsService } from "../handoff/insights-service.ts";
import { runHandoffJobs } from "../handoff/jobs.ts";
import { AgentStore } from "../store/agent-store.ts";
import { DynamoInsightsStore } from "../store/insights-store.ts";
import type { Runtime } from "./runtime.ts";

export interface AgentRuntime {
  agents: AgentStore;
  auth: AgentAuthenticator;
  service: AgentService;
  insights: InsightsService;
  /** Through the adapters this function wires (useChannels); the web chat needs none. */
  deliver: Deliver;
  runJobs(): Promise<{ returned: number; escalated: number }>;
}

const built = new WeakMap<Runtime, AgentRuntime>();

/** The agent side of a runtime, built once per cold start (kept out of the bot's functions). */
export function agentRuntime(runtime: Runtime): AgentRuntime {
  const existing = built.get(runtime);
  if (existing) return existing;
  const { config, store, knowledge } = runtime;
  const agents = new AgentStore(store.client, config.env.TABLE_NAME);
  const deliver = deliveryVia(
    (channel) => runtime.channel(channel),
    (channel) => (isChannelName(channel) ? CHANNEL_SETTINGS[channel].label : channel),
  );
  const service = new AgentService(store, agents, knowledge, deliver, {
    retentionDays: config.env.RETENTION_DAYS,
    slaMinutes: config.env.HANDOFF_SLA_MINUTES,
    announce: async (id, text) => (await runtime.agentRoom())?.announce(id, text),
    reach: (channel, userKey, userWroteAt) =>
      isChannelName(channel) ? reachOf(channel, userKey, userWroteAt) : undefined,
  });
  const insights = new InsightsService(new DynamoInsightsStore(store.client, config.env.TABLE_NAME), store, {
    audit: (agent, action, id, detail) => service.audit(agent, action, id, detail),
    intents: Object.entries(knowledge.intents).map(([id, intent]) => ({ id, label: intent.label.en })),
  });
  const result: AgentRuntime = {
    agents,
    auth: new AgentAuthenticator(agents),
    service,
    insights,
    deliver,
    runJobs: async () => {
      const room = await runtime.agentRoom();
      return runHandoffJobs(store, service, knowledge, deliver, {
        idleMinutes: config.env.AGENT_IDLE_MINUTES,
        slaMinutes: config.env.HANDOFF_SLA_MINUTES,
        ...(room ? { group: room } : {}),
      });
    },
  };
  built.set(runtime, result);
  return result;
}

function reachOf(channel: keyof typeof CHANNEL_SETTINGS, userKey: string, userWroteAt: string) {
  const settings = CHANNEL_SETTINGS[channel];
  return "reach" in settings ? settings.reach(userKey, userWroteAt) : undefined;
}
