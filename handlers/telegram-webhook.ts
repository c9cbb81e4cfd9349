import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { channelRoute } from "../src/app/channel-http.ts";
import { telegramChannel } from "../src/app/telegram.ts";

/**
 * POST /webhooks/telegram: Telegram's webhook; the secret header is checked before the body is read.
 * Agents reply from the agents' group too, so this function delivers on every channel.
 */
export const handler = channelRoute("POST /webhooks/telegram", "telegram", telegramChannel, EVERY_CHANNEL);
