import { EVERY_CHANNEL } from "../src/app/adapters.ts";
import { agentRoute, textBody } from "../src/app/agent-http.ts";

/** POST /agent/conversations/{id}/messages {"text"}: a reply, delivered on the user's channel. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/messages",
  async ({ agent, agents, conversationId, event }) => ({
    message: await agents.service.write(agent, conversationId(), "agent", textBody(event)),
  }),
  EVERY_CHANNEL,
);
