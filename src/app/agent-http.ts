import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod/mini";
import type { AgentIdentity } from "../handoff/agent-auth.ts";
import { AGENT_TEXT_MAX_CHARS } from "../handoff/limits.ts";
import { type HttpHandler, type HttpResult, httpHandler, json, jsonBody } from "../http/api-gateway.ts";
import { loadSecrets } from "../secrets.ts";
import { validate } from "../validate.ts";
import { type AgentRuntime, agentRuntime } from "./agents.ts";
import { type AgentRoomFactory, type ChannelFactory, runtime, useAgentRoom, useChannels } from "./runtime.ts";

export interface AgentRequest {
  agent: AgentIdentity;
  event: APIGatewayProxyEventV2;
  agents: AgentRuntime;
  /** The `{id}` path parameter, checked to look like a conversation id. */
  conversationId(): string;
}

const pathSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}\.[1-9][0-9]{0,8}$/, "not a conversation id")),
});
export const textBodySchema = z.strictObject({
  text: z.string().check(
    z.maxLength(AGENT_TEXT_MAX_CHARS),
    z.refine((t) => t.trim().length > 0, "must not be empty"),
  ),
});

/**
 * What a route reaches beyond the store: the channels it delivers on (a reply, a hand-back notice)
 * and the agents' room it tells. A route that reaches neither bundles no platform code.
 */
export interface AgentRouteWiring {
  channels?: Record<string, ChannelFactory>;
  room?: AgentRoomFactory;
}

/** One agent API route: authenticate the bearer token first, then run the action, then JSON. */
export function agentRoute(
  route: string,
  action: (request: AgentRequest) => Promise<unknown>,
  wiring: AgentRouteWiring = {},
): HttpHandler {
  if (wiring.channels) useChannels(wiring.channels);
  if (wiring.room) useAgentRoom(wiring.room);
  // Replies go out on the user's channel, whose credentials come from SSM in AWS; a route that
  // reaches no channel never reads them (and its role may not).
  const secrets = wiring.channels || wiring.room ? loadSecrets() : Promise.resolve([]);
  secrets.catch(() => undefined); // a failure is reported by the request that awaits it
  return httpHandler(route, async (event): Promise<HttpResult> => {
    await secrets;
    const agents = agentRuntime(runtime());
    const source = event.requestContext?.http?.sourceIp ?? "unknown";
    const agent = await agents.auth.authenticate(event.headers.authorization, source);
    const body = await action({
      agent,
      event,
      agents,
      conversationId: () => validate(pathSchema, { id: event.pathParameters?.id ?? "" }, "path").id,
    });
    return json(200, body);
  });
}

/** `{"text"}` of at most 4,000 characters, in a body of at most 16 KB. */
export function textBody(event: APIGatewayProxyEventV2): string {
  return validate(textBodySchema, jsonBody(event, 16 * 1024), "body").text;
}
