import { telegramAgentRoom } from "./telegram.ts";

/**
 * The agents' room: today the agents' Telegram group. Functions that tell agents about a handoff or
 * an action wire it; on its own module so they need not import every channel's adapter.
 */
export const AGENT_ROOM = telegramAgentRoom;
