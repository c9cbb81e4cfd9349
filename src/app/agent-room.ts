import type { AgentRoomFactory } from "./runtime.ts";

/**
 * The agents' room: today the agents' Telegram group. Functions that tell agents about a handoff or
 * an action wire it; on its own module so they need not import every channel's adapter. Loaded on
 * the first handoff, so a bot function's cold start does not evaluate the Telegram client.
 */
export const AGENT_ROOM: AgentRoomFactory = async (runtime) =>
  (await import("./telegram.ts")).telegramAgentRoom(runtime);
