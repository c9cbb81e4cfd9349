import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { AGENT_ROOM } from "../src/app/agent-room.ts";
import { channelRoute, resumeChannelEvent } from "../src/app/channel-http.ts";
import { discordChannel } from "../src/app/discord.ts";
import type { DiscordFollowUpEvent } from "../src/channels/discord/discord.channel.ts";
import {
  beginInvocation,
  errorFields,
  FOLLOW_UP_ROUTE,
  logger,
  MetricUnit,
  publishMetrics,
} from "../src/log.ts";

const http = channelRoute("POST /webhooks/discord", "discord", discordChannel, { room: AGENT_ROOM });

/** POST /webhooks/discord (signed interactions), and the asynchronous follow-up of a deferred one. */
export const handler = async (
  event: APIGatewayProxyEventV2 | DiscordFollowUpEvent,
  context: Context,
): Promise<APIGatewayProxyResultV2> => {
  if ("guardlineDiscordFollowUp" in event) {
    // An asynchronous invocation: a failure is thrown, so Lambda retries it and then dead-letters it.
    beginInvocation(context);
    try {
      await resumeChannelEvent("discord", event);
      publishMetrics(FOLLOW_UP_ROUTE, { FollowUpFailures: [MetricUnit.Count, 0] });
      return { statusCode: 204 };
    } catch (error) {
      logger.error("discord follow-up failed", errorFields(error));
      publishMetrics(FOLLOW_UP_ROUTE, { FollowUpFailures: [MetricUnit.Count, 1] });
      throw error;
    }
  }
  return http(event, context);
};
