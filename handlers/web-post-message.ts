import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { webInbound, webReply } from "../src/channels/web/web.adapter.ts";
import { WEB_LIMITS, webPostSchema } from "../src/channels/web/web.schemas.ts";
import { handleInbound } from "../src/handoff/inbound.ts";
import { httpHandler, json, jsonBody } from "../src/http/api-gateway.ts";
import { runtime } from "../src/runtime.ts";
import { validate } from "../src/validate.ts";

// Cold start: configuration, store client, model and knowledge, before the first request.
runtime().brain;

/** POST /web/messages: one user message (text or button) in, the bot's replies out. */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("POST /web/messages", async (event) => {
  const post = validate(webPostSchema, jsonBody(event, WEB_LIMITS.bodyBytes), "body");
  const outcome = await handleInbound(runtime().bot, webInbound(post));
  return json(200, webReply(outcome));
});
