import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { agentRoute } from "../src/app/agent-http.ts";

/** POST /agent/conversations/{id}/handback: back to the bot, with a message to the user. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/handback",
  async ({ agent, agents, conversationId }) => ({
    conversation: await agents.service.handBack(agent, conversationId()),
  }),
  EVERY_CHANNEL,
);
