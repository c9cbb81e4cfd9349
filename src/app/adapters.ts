import type { ChannelName } from "../channels/registry.ts";
import { AGENT_ROOM } from "./agent-room.ts";
import { discordChannel } from "./discord.ts";
import { metaChannel } from "./meta.ts";
import type { ChannelFactory } from "./runtime.ts";
import { telegramChannel } from "./telegram.ts";
import { webChannel } from "./web.ts";

/**
 * The adapter map: how each platform's adapter is built for a runtime (grammY's frameworks.ts is the
 * model: a small object per platform in one place). Functions that serve one platform import its
 * factory alone; those that deliver an agent's message on whatever channel the user wrote from
 * (replies, hand-backs, the scheduled job, the agents' group) import this map.
 */
export const CHANNEL_ADAPTERS = {
  web: webChannel,
  telegram: telegramChannel,
  discord: discordChannel,
  meta: metaChannel,
} as const satisfies Record<ChannelName, ChannelFactory>;

/** What a function that delivers on every channel and tells the agents' room wires. */
export const EVERY_CHANNEL = { channels: CHANNEL_ADAPTERS, room: AGENT_ROOM } as const;
