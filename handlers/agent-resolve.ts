import { agentRoute } from "../src/handoff/agent-http.ts";

/** POST /agent/conversations/{id}/resolve: close; the user's next message opens a new conversation. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/resolve",
  async ({ agent, agents, conversationId }) => ({
    conversation: await agents.service.resolve(agent, conversationId()),
  }),
);
