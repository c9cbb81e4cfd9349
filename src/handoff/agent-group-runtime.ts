import { FetchBotApi } from "../channels/telegram/bot-api.ts";
import type { Runtime } from "../runtime.ts";
import { AgentStore } from "../store/agent-store.ts";
import { AgentGroup } from "./agent-group.ts";

const groups = new WeakMap<Runtime, AgentGroup>();

/**
 * The agents' Telegram group of a runtime, or undefined when it is not configured. Light on purpose:
 * the bot path loads it to tell agents about a handoff; the agent runtime wires the agent use cases
 * into it for the functions that handle agents' messages.
 */
export function agentGroupFor(runtime: Runtime): AgentGroup | undefined {
  const { config, store } = runtime;
  const {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_AGENT_CHAT_ID: chatId,
  } = config.env;
  if (!config.channels.telegram.enabled || !token || chatId === undefined) return undefined;
  let group = groups.get(runtime);
  if (!group) {
    const agents = new AgentStore(store.client, config.env.TABLE_NAME);
    group = new AgentGroup(chatId, new FetchBotApi(token, apiRoot), agents, store);
    groups.set(runtime, group);
  }
  return group;
}
