import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { agentRuntime } from "../src/app/agents.ts";
import { runtime, useAgentRoom, useChannels } from "../src/app/runtime.ts";
import { log } from "../src/log.ts";
import { loadSecrets } from "../src/secrets.ts";

// Idle notices go out on the user's channel; escalations are posted in the agents' group.
await loadSecrets();
useChannels(EVERY_CHANNEL.channels);
useAgentRoom(EVERY_CHANNEL.room);

/** Scheduled every minute: idle conversations back to the bot, unclaimed ones past the SLA escalated. */
export const handler = async (): Promise<{ returned: number; escalated: number }> => {
  const result = await agentRuntime(runtime()).runJobs();
  log("info", "handoff jobs", result);
  return result;
};
