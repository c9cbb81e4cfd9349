/** The most characters an agent's reply or note may have (the agent API's check and the console's). */
export const AGENT_TEXT_MAX_CHARS = 4000;
