import { agentRoute } from "../src/app/agent-http.ts";

/** GET /agent/conversations/{id}: the conversation and its transcript (secrets already redacted). */
export const handler = agentRoute(
  "GET /agent/conversations/{id}",
  async ({ agent, agents, conversationId }) => agents.service.read(agent, conversationId()),
);
