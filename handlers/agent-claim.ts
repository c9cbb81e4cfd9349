import { agentRoute } from "../src/app/agent-http.ts";
import { AGENT_ROOM } from "../src/app/agent-room.ts";

/** POST /agent/conversations/{id}/claim: take ownership; 409 when another agent was first. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/claim",
  async ({ agent, agents, conversationId }) => ({
    conversation: await agents.service.claim(agent, conversationId()),
  }),
  { room: AGENT_ROOM },
);
