import { AGENT_ROOM } from "../src/app/agent-room.ts";
import { channelRoute } from "../src/app/channel-http.ts";
import { webChannel, webOrigins } from "../src/app/web.ts";

/** POST /web/messages: one user message (text or button) in, the bot's replies out; OPTIONS: the preflight. */
export const handler = channelRoute("POST /web/messages", "web", webChannel, {
  room: AGENT_ROOM,
  wrap: webOrigins,
});
