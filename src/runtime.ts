import { type Brain, type Config, loadBrain, loadConfig } from "./config.ts";
import type { BotDependencies } from "./handoff/inbound.ts";
import { configureLog } from "./log.ts";
import { createDocumentClient } from "./store/client.ts";
import { DynamoConversationStore } from "./store/conversation-store.ts";

/** Everything a handler needs, built once per cold start (style.md: clients at module scope). */
export interface Runtime {
  config: Config;
  brain: Brain;
  store: DynamoConversationStore;
  bot: BotDependencies;
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
  const brain = loadBrain();
  const client = createDocumentClient({
    ...(config.env.DYNAMODB_ENDPOINT ? { endpoint: config.env.DYNAMODB_ENDPOINT } : {}),
    ...(config.env.AWS_REGION ? { region: config.env.AWS_REGION } : {}),
  });
  const store = new DynamoConversationStore(client, config.env.TABLE_NAME);
  return { config, brain, store, bot: { store, brain, retentionDays: config.env.RETENTION_DAYS } };
}
