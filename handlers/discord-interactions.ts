import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { AGENT_ROOM } from "../src/app/agent-room.ts";
import { channelRoute, resumeChannelEvent } from "../src/app/channel-http.ts";
import { discordChannel } from "../src/app/discord.ts";
import type { DiscordFollowUpEvent } from "../src/channels/discord/discord.channel.ts";

const http = channelRoute("POST /webhooks/discord", "discord", discordChannel, { room: AGENT_ROOM });

/** POST /webhooks/discord (signed interactions), and the asynchronous follow-up of a deferred one. */
export const handler = async (
  event: APIGatewayProxyEventV2 | DiscordFollowUpEvent,
  context: Context,
): Promise<APIGatewayProxyResultV2> => {
  if ("guardlineDiscordFollowUp" in event) {
    await resumeChannelEvent("discord", event);
    return { statusCode: 204 };
  }
  return http(event, context);
};
