import { CHANNEL_SETTINGS, type ChannelName } from "../channels/registry.ts";
import { NotFoundError } from "../errors.ts";
import { resumeChannel, serveChannel } from "../handoff/turn.ts";
import { type HttpHandler, httpHandler, rawBody } from "../http/api-gateway.ts";
import { loadSecrets } from "../secrets.ts";
import { type AgentRoomFactory, type ChannelFactory, runtime, useAgentRoom, useChannels } from "./runtime.ts";

// Channel credentials come from SSM in AWS, before the configuration is read.
await loadSecrets();

export interface ChannelRouteWiring {
  /** The agents' room the bot path tells about handoffs. */
  room?: AgentRoomFactory;
  /** Further channels this function delivers on (agents replying from the Telegram group). */
  channels?: Record<string, ChannelFactory>;
  /** A rule around the route's handling, inside the error boundary (the web chat's allowed origins). */
  wrap?: (handle: RouteHandle) => RouteHandle;
}

type RouteHandle = Parameters<typeof httpHandler>[1];

/**
 * A platform's HTTP route: the request goes to its adapter (verify, parse), the turn is composed in
 * src/handoff/turn.ts, and the adapter's answer is the response. 404 while the channel is off.
 * Built at cold start: configuration, store client, model and the adapter, before the first request.
 */
export function channelRoute(
  route: string,
  name: ChannelName,
  factory: ChannelFactory,
  wiring: ChannelRouteWiring = {},
): HttpHandler {
  useChannels({ ...wiring.channels, [name]: factory });
  if (wiring.room) useAgentRoom(wiring.room);
  // The model loads now, not on the first message, when the channel is on.
  if (runtime().channel(name)) void runtime().brain;
  const handle: RouteHandle = async (event) => {
    const adapter = runtime().channel(name);
    if (!adapter) throw new NotFoundError(`the ${CHANNEL_SETTINGS[name].label} channel is not enabled`);
    return serveChannel(adapter, runtime().bot, {
      // API Gateway always sends the context; a hand-built event may carry only its route key.
      method: event.requestContext?.http?.method ?? event.routeKey?.split(" ")[0] ?? "POST",
      headers: event.headers,
      query: event.queryStringParameters ?? {},
      body: rawBody(event, Number.POSITIVE_INFINITY),
    });
  };
  return httpHandler(route, wiring.wrap ? wiring.wrap(handle) : handle);
}

/** The later, asynchronous invocation that finishes a channel's deferred answer (Discord). */
export async function resumeChannelEvent(name: ChannelName, payload: unknown): Promise<boolean> {
  const adapter = runtime().channel(name);
  return adapter ? resumeChannel(adapter, runtime().bot, payload) : false;
}
