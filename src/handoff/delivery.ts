import { Telegram } from "telegraf";
import { splitText, TELEGRAM_TEXT_LIMIT } from "../channels/telegram/telegram.adapter.ts";
import type { Config } from "../config.ts";
import { ChannelApiError } from "../errors.ts";
import type { ConversationRecord } from "../store/records.ts";

/** Sends an agent's (or the system's) message to the user on the channel they wrote from. */
export type Deliver = (head: ConversationRecord, text: string) => Promise<void>;

export function deliveryFor(config: Config): Deliver {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot } = config.env;
  const telegram = config.channels.telegram.enabled && token ? new Telegram(token, { apiRoot }) : undefined;
  return async (head, text) => {
    switch (head.channel) {
      case "web":
        // The chat page polls GET /web/messages; the stored message is the delivery.
        return;
      case "telegram": {
        if (!telegram)
          throw new ChannelApiError("telegram", "sendMessage", 0, "the Telegram channel is not enabled");
        const chatId = Number(head.userKey.slice("telegram:".length));
        for (const part of splitText(text, TELEGRAM_TEXT_LIMIT)) {
          try {
            await telegram.sendMessage(chatId, part);
          } catch (error) {
            const code = (error as { code?: number }).code ?? 0;
            throw new ChannelApiError("telegram", "sendMessage", code, "Telegram did not take the message", {
              cause: error,
            });
          }
        }
        return;
      }
      default:
        throw new ChannelApiError(head.channel, "deliver", 0, `no delivery to ${head.channel} in this build`);
    }
  };
}
