import { agentRuntime } from "../src/handoff/agent-runtime.ts";
import { log } from "../src/log.ts";
import { runtime } from "../src/runtime.ts";
import { loadSecrets } from "../src/secrets.ts";

await loadSecrets();

/** Scheduled every minute: idle conversations back to the bot, unclaimed ones past the SLA escalated. */
export const handler = async (): Promise<{ returned: number; escalated: number }> => {
  const result = await agentRuntime(runtime()).runJobs();
  log("info", "handoff jobs", result);
  return result;
};
