import { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { Telegram } from "telegraf";
import { GraphApi, MetaApiError } from "../channels/meta/graph-api.ts";
import {
  MESSENGER,
  type MetaUser,
  parseMetaUserKey,
  replyWindowEnds,
  WHATSAPP,
} from "../channels/meta/meta.adapter.ts";
import { splitText } from "../channels/split-text.ts";
import { TELEGRAM_TEXT_LIMIT } from "../channels/telegram/telegram.adapter.ts";
import type { Config } from "../config.ts";
import { ChannelApiError, ConflictError } from "../errors.ts";
import type { ConversationRecord } from "../store/records.ts";

/** Sends an agent's (or the system's) message to the user on the channel they wrote from. */
export type Deliver = (head: ConversationRecord, text: string, from: "agent" | "bot") => Promise<void>;

export function deliveryFor(config: Config): Deliver {
  const {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    DISCORD_BOT_TOKEN: discordToken,
  } = config.env;
  const telegram = config.channels.telegram.enabled && token ? new Telegram(token, { apiRoot }) : undefined;
  const discord =
    config.channels.discord.enabled && discordToken
      ? new REST({ version: "10", api: config.env.DISCORD_API_ROOT, retries: 2 }).setToken(discordToken)
      : undefined;
  const meta =
    config.channels.meta.enabled && config.env.META_ACCESS_TOKEN
      ? new GraphApi(config.env.META_API_ROOT, config.env.META_ACCESS_TOKEN)
      : undefined;
  return async (head, text, from) => {
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
      case "discord": {
        if (!discord)
          throw new ChannelApiError("discord", "createMessage", 0, "the Discord channel is not enabled");
        await sendDiscordDm(discord, head.userKey.slice("discord:".length), text);
        return;
      }
      case "meta": {
        const user = parseMetaUserKey(head.userKey);
        if (!meta)
          throw new ChannelApiError("meta", "messages", 0, "the WhatsApp / Messenger channel is not enabled");
        if (!user) throw new ConflictError("this conversation has no WhatsApp / Messenger address");
        await sendMeta(meta, user, text, from, head.userWroteAt ?? head.updatedAt);
        return;
      }
      default:
        throw new ChannelApiError(head.channel, "deliver", 0, `no delivery to ${head.channel} in this build`);
    }
  };
}

/** Discord's code for "Cannot send messages to this user" (DMs closed or no shared server). */
const DM_CLOSED = 50007;

/** Agent replies reach Discord users by DM from the bot: open the DM channel, then post in it. */
async function sendDiscordDm(rest: REST, userId: string, text: string): Promise<void> {
  try {
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
      id: string;
    };
    for (const part of splitText(text, 2000)) {
      await rest.post(Routes.channelMessages(channel.id), { body: { content: part } });
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === DM_CLOSED) {
      throw new ConflictError(
        "the user does not accept direct messages from the bot; the reply is saved in the transcript",
      );
    }
    const status = (error as { status?: number }).status ?? 0;
    throw new ChannelApiError("discord", "createMessage", status, "Discord did not take the message", {
      cause: error,
    });
  }
}

/**
 * Meta's messaging windows (see replyWindowEnds) are checked before sending: WhatsApp accepts a late
 * message and only fails it afterwards in a status webhook. Outside the window the agent is told so
 * plainly; the reply stays in the transcript.
 */
async function sendMeta(
  graph: GraphApi,
  user: MetaUser,
  text: string,
  from: "agent" | "bot",
  userWroteAt: string,
) {
  const closed = () =>
    new ConflictError(
      `the user last wrote too long ago (${user.platform === "messenger" && from === "agent" ? "7 days" : "24 hours"}), so ${user.platform === "whatsapp" ? "WhatsApp" : "Messenger"} does not take the message; it is saved in the transcript`,
    );
  if (Date.now() > replyWindowEnds(user, userWroteAt, from).getTime()) throw closed();
  const limit = user.platform === "whatsapp" ? WHATSAPP.text : MESSENGER.text;
  try {
    for (const part of splitText(text, limit)) {
      const message =
        user.platform === "whatsapp"
          ? { type: "text" as const, text: { body: part, preview_url: false as const } }
          : { text: part };
      await graph.send(user, message, { humanAgent: user.platform === "messenger" && from === "agent" });
    }
  } catch (error) {
    if (error instanceof MetaApiError && error.windowClosed) throw closed();
    throw error;
  }
}
