import { agentRuntime } from "../../handoff/agent-runtime.ts";
import type { Runtime } from "../../runtime.ts";
import { TelegramChannel } from "./telegram.channel.ts";

const channels = new WeakMap<Runtime, TelegramChannel>();

/**
 * The Telegram channel of this runtime, built once; undefined when its credentials are not set.
 * Kept out of src/runtime.ts so only the Telegram function bundles telegraf.
 */
export function telegramChannel(runtime: Runtime): TelegramChannel | undefined {
  const { config } = runtime;
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_SECRET_TOKEN: secret, TELEGRAM_API_ROOT: apiRoot } = config.env;
  if (!config.channels.telegram.enabled || !token || !secret) return undefined;
  let channel = channels.get(runtime);
  if (!channel) {
    const chatId = config.env.TELEGRAM_AGENT_CHAT_ID;
    const group =
      chatId !== undefined ? { agentChatId: chatId, agentGroup: () => agentRuntime(runtime).group } : {};
    channel = new TelegramChannel({ token, secret, apiRoot, ...group }, runtime.bot);
    channels.set(runtime, channel);
  }
  return channel;
}
