import { agentRoute } from "../src/app/agent-http.ts";

/** GET /agent/me: who the token belongs to, and the canned replies (rendered) for the console. */
export const handler = agentRoute("GET /agent/me", async ({ agent, agents }) => ({
  agent,
  cannedReplies: agents.service.cannedReplies(),
}));
