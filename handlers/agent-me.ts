import { agentRoute } from "../src/handoff/agent-http.ts";
import { runtime } from "../src/runtime.ts";

/** GET /agent/me: who the token belongs to, and the canned replies for the console. */
export const handler = agentRoute("GET /agent/me", async ({ agent }) => ({
  agent,
  cannedReplies: runtime().brain.knowledge.cannedReplies,
}));
