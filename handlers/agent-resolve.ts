import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { agentRoute } from "../src/app/agent-http.ts";

/** POST /agent/conversations/{id}/resolve: close; the user's next message opens a new conversation. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/resolve",
  async ({ agent, agents, conversationId }) => ({
    conversation: await agents.service.resolve(agent, conversationId()),
  }),
  EVERY_CHANNEL,
);
