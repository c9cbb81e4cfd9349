import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { type DiscordFollowUpEvent, discordChannel } from "../src/channels/discord/discord.runtime.ts";
import { NotFoundError } from "../src/errors.ts";
import { httpHandler, rawBody } from "../src/http/api-gateway.ts";
import { runtime } from "../src/runtime.ts";
import { loadSecrets } from "../src/secrets.ts";

// Cold start: secrets, configuration, store client, model, and the Discord REST client.
await loadSecrets();
discordChannel(runtime());

const http = httpHandler("POST /webhooks/discord", async (event) => {
  const discord = discordChannel(runtime());
  if (!discord) throw new NotFoundError("the Discord channel is not enabled");
  return discord.interaction(event.headers, rawBody(event, 64 * 1024));
});

/** POST /webhooks/discord (signed interactions), and the asynchronous follow-up of a deferred one. */
export const handler = async (
  event: APIGatewayProxyEventV2 | DiscordFollowUpEvent,
  context: Context,
): Promise<APIGatewayProxyResultV2> => {
  if ("guardlineDiscordFollowUp" in event) {
    await discordChannel(runtime())?.finish(event.guardlineDiscordFollowUp);
    return { statusCode: 204 };
  }
  return http(event, context);
};
