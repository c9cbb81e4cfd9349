import { AGENT_ROOM } from "../src/app/agent-room.ts";
import { channelRoute } from "../src/app/channel-http.ts";
import { metaChannel } from "../src/app/meta.ts";

/**
 * GET /webhooks/meta: Meta's subscription check (`hub.challenge`). POST /webhooks/meta: WhatsApp and
 * Messenger notifications; the signature is checked over the raw body before it is parsed.
 */
export const handler = channelRoute("/webhooks/meta", "meta", metaChannel, { room: AGENT_ROOM });
