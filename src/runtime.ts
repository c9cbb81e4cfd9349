import { type Brain, type Config, loadBrain, loadConfig } from "./config.ts";
import type { BotDependencies, HandoffObserver } from "./handoff/inbound.ts";
import { configureLog } from "./log.ts";
import { createDocumentClient } from "./store/client.ts";
import { DynamoConversationStore } from "./store/conversation-store.ts";

/**
 * Everything a handler needs, built once per cold start (style.md: clients at module scope). The
 * brain (model and knowledge) loads on first use, so functions that never classify skip its cost.
 */
export interface Runtime {
  config: Config;
  store: DynamoConversationStore;
  readonly brain: Brain;
  readonly bot: BotDependencies;
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  current ??= build();
  return current;
}

/** The local server rebuilds the runtime after it points the environment at its own store. */
export function resetRuntime(): void {
  current?.store.client.destroy();
  current = undefined;
}

function build(): Runtime {
  const config = loadConfig();
  configureLog({ level: config.env.LOG_LEVEL });
  const client = createDocumentClient({
    ...(config.env.DYNAMODB_ENDPOINT ? { endpoint: config.env.DYNAMODB_ENDPOINT } : {}),
    ...(config.env.AWS_REGION ? { region: config.env.AWS_REGION } : {}),
  });
  const store = new DynamoConversationStore(client, config.env.TABLE_NAME);
  let brain: Brain | undefined;
  let bot: BotDependencies | undefined;
  return {
    config,
    store,
    get brain() {
      const key = config.env.REGISTRY_PUBLIC_KEY;
      brain ??= loadBrain(undefined, key ? { registryPublicKey: key } : {});
      return brain;
    },
    get bot() {
      const groupOn = config.channels.telegram.enabled && config.env.TELEGRAM_AGENT_CHAT_ID !== undefined;
      bot ??= {
        store,
        brain: this.brain,
        retentionDays: config.env.RETENTION_DAYS,
        ...(groupOn ? { agents: lazyAgentGroup(this) } : {}),
      };
      return bot;
    },
  };
}

/**
 * The agents' group as the bot path's observer, loaded on first use: functions that never hand off
 * do not load the agent side (or telegraf) at cold start.
 */
function lazyAgentGroup(runtime: Runtime): HandoffObserver {
  const group = async () => (await import("./handoff/agent-group-runtime.ts")).agentGroupFor(runtime);
  return {
    queued: async (head) => (await group())?.queued(head),
    userWrote: async (head, message) => (await group())?.userWrote(head, message),
  };
}
