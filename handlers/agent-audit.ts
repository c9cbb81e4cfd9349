import { agentRoute } from "../src/app/agent-http.ts";

/** GET /agent/audit: every agent action of the last week, newest first (admins only). */
export const handler = agentRoute("GET /agent/audit", async ({ agent, agents }) => ({
  entries: await agents.service.auditLog(agent),
}));
