import { AgentGroup } from "../channels/telegram/telegram.agents.ts";
import { TelegramApi } from "../channels/telegram/telegram.api.ts";
import { TelegramChannel } from "../channels/telegram/telegram.channel.ts";
import { AgentStore } from "../store/agent-store.ts";
import { agentRuntime } from "./agents.ts";
import type { AgentRoomFactory, ChannelFactory, Runtime } from "./runtime.ts";

/** The Telegram channel, when its token and secret are set; agents' topic messages go to the group. */
export const telegramChannel: ChannelFactory = (runtime) => {
  const { config } = runtime;
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_SECRET_TOKEN: secret, TELEGRAM_API_ROOT: apiRoot } = config.env;
  if (!config.channels.telegram.enabled || !token || !secret) return undefined;
  const chatId = config.env.TELEGRAM_AGENT_CHAT_ID;
  const group = chatId !== undefined ? { agentChatId: chatId, agentGroup: () => agentGroupOf(runtime) } : {};
  return new TelegramChannel({ secret, ...group }, new TelegramApi(token, apiRoot));
};

const groups = new WeakMap<Runtime, AgentGroup>();

/**
 * The agents' Telegram group, when TELEGRAM_AGENT_CHAT_ID is set and Telegram is on. Its members'
 * commands act through the agent use cases, built only when one arrives.
 */
export const telegramAgentRoom: AgentRoomFactory = (runtime) => agentGroupOf(runtime);

async function agentGroupOf(runtime: Runtime): Promise<AgentGroup | undefined> {
  const { config, store } = runtime;
  const {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_AGENT_CHAT_ID: chatId,
  } = config.env;
  if (!config.channels.telegram.enabled || !token || chatId === undefined) return undefined;
  let group = groups.get(runtime);
  if (!group) {
    const api = new TelegramApi(token, apiRoot);
    group = new AgentGroup(chatId, api, new AgentStore(store.client, config.env.TABLE_NAME), store);
    group.useDesk(async () => agentRuntime(runtime).service);
    groups.set(runtime, group);
  }
  return group;
}
