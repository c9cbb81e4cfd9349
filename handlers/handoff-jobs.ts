import type { Context } from "aws-lambda";
import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { agentRuntime } from "../src/app/agents.ts";
import { runtime, useAgentRoom, useChannels } from "../src/app/runtime.ts";
import { beginInvocation, errorFields, JOBS_ROUTE, logger, MetricUnit, publishMetrics } from "../src/log.ts";
import { loadSecrets } from "../src/secrets.ts";

// Idle notices go out on the user's channel; escalations are posted in the agents' group.
await loadSecrets();
useChannels(EVERY_CHANNEL.channels);
useAgentRoom(EVERY_CHANNEL.room);

/** Scheduled every minute: idle conversations back to the bot, unclaimed ones past the SLA escalated. */
export const handler = async (
  _event: unknown,
  context?: Context,
): Promise<{ returned: number; escalated: number }> => {
  beginInvocation(context);
  try {
    const result = await agentRuntime(runtime()).runJobs();
    logger.info("handoff jobs", result);
    // The alarm on SLA escalations reads this metric (serverless.yml, SlaEscalationsAlarm).
    publishMetrics(JOBS_ROUTE, {
      ReturnedToBot: [MetricUnit.Count, result.returned],
      SlaEscalations: [MetricUnit.Count, result.escalated],
      JobFailures: [MetricUnit.Count, 0],
    });
    return result;
  } catch (error) {
    logger.error("handoff jobs failed", errorFields(error));
    publishMetrics(JOBS_ROUTE, { JobFailures: [MetricUnit.Count, 1] });
    throw error;
  }
};
