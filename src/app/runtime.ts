import type { ChannelName } from "../channels/registry.ts";
import type { AgentRoom, ChannelAdapter } from "../channels/types.ts";
import { type Brain, type Config, loadBrain, loadConfig, loadKnowledge } from "../config.ts";
import type { Knowledge } from "../core/content.ts";
import type { BotDependencies, HandoffObserver } from "../handoff/inbound.ts";
import { configureLog } from "../log.ts";
import { createDocumentClient } from "../store/client.ts";
import { DynamoConversationStore } from "../store/conversation-store.ts";

/**
 * Everything a handler needs, built once per cold start (style.md: clients at module scope). The
 * brain (model and knowledge) loads on first use, so functions that never classify skip its cost.
 * Channels and the agents' room are built on first use from the factories this function's handler
 * brought in (`useChannels`, `useAgentRoom`): a function bundles only the platforms it wires.
 */
export interface Runtime {
  config: Config;
  store: DynamoConversationStore;
  readonly brain: Brain;
  /** The content alone (messages, contacts, canned replies), for functions that never classify. */
  readonly knowledge: Knowledge;
  readonly bot: BotDependencies;
  /** The adapter of a channel this function wires, when the channel is on. */
  channel(name: string): ChannelAdapter | undefined;
  /** The agents' room (the agents' Telegram group), when this function wires it and it is configured. */
  agentRoom(): Promise<AgentRoom | undefined>;
}

/** Builds a channel's adapter for a runtime, or undefined when the channel is off. */
// biome-ignore lint/suspicious/noExplicitAny: each adapter has its own address type
export type ChannelFactory = (runtime: Runtime) => ChannelAdapter<any> | undefined;
export type AgentRoomFactory = (runtime: Runtime) => Promise<AgentRoom | undefined>;

const factories = new Map<string, ChannelFactory>();
let roomFactory: AgentRoomFactory | undefined;

/** Makes these channels available to this function's runtime (a handler calls it at module scope). */
export function useChannels(channels: Partial<Record<ChannelName, ChannelFactory>>): void {
  for (const [name, factory] of Object.entries(channels)) if (factory) factories.set(name, factory);
}

export function useAgentRoom(factory: AgentRoomFactory): void {
  roomFactory = factory;
}

/**
 * Performance measures (node:perf_hooks) of loading the model and knowledge, or the knowledge alone:
 * `npm run bench` reads them to report a function's own load apart from its content's.
 */
export const BRAIN_MEASURE = "guardline:load-brain";
export const KNOWLEDGE_MEASURE = "guardline:load-knowledge";

function timed<T>(name: string, load: () => T): T {
  const start = performance.now();
  const loaded = load();
  performance.measure(name, { start });
  return loaded;
}

let current: Runtime | undefined;

export function runtime(): Runtime {
  current ??= build();
  return current;
}

/** The local server and tests rebuild the runtime after they change the environment. */
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
  const channels = new Map<string, ChannelAdapter | undefined>();
  let brain: Brain | undefined;
  let knowledge: Knowledge | undefined;
  let bot: BotDependencies | undefined;
  let room: Promise<AgentRoom | undefined> | undefined;
  const self: Runtime = {
    config,
    store,
    get brain() {
      const key = config.env.REGISTRY_PUBLIC_KEY;
      brain ??= timed(BRAIN_MEASURE, () => loadBrain(undefined, key ? { registryPublicKey: key } : {}));
      return brain;
    },
    get knowledge() {
      if (brain) return brain.knowledge;
      const key = config.env.REGISTRY_PUBLIC_KEY;
      knowledge ??= timed(
        KNOWLEDGE_MEASURE,
        () => loadKnowledge(undefined, key ? { registryPublicKey: key } : {}).knowledge,
      );
      return knowledge;
    },
    get bot() {
      bot ??= {
        store,
        brain: self.brain,
        retentionDays: config.env.RETENTION_DAYS,
        agents: observer(self),
      };
      return bot;
    },
    channel(name) {
      if (!channels.has(name)) channels.set(name, factories.get(name)?.(self));
      return channels.get(name);
    },
    agentRoom() {
      if (!roomFactory) return Promise.resolve(undefined);
      room ??= roomFactory(self);
      return room;
    },
  };
  return self;
}

/** The agents' room as the bot path's observer, built on the first handoff. */
function observer(runtime: Runtime): HandoffObserver {
  return {
    queued: async (head) => (await runtime.agentRoom())?.queued(head),
    userWrote: async (head, message) => (await runtime.agentRoom())?.userWrote(head, message),
  };
}
