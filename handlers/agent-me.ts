import { agentRoute } from "../src/app/agent-http.ts";
import { runtime } from "../src/app/runtime.ts";

/** GET /agent/me: who the token belongs to, and the canned replies for the console. */
export const handler = agentRoute("GET /agent/me", async ({ agent }) => ({
  agent,
  cannedReplies: runtime().knowledge.cannedReplies,
}));
