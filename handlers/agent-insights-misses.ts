import { agentRoute } from "../src/app/agent-http.ts";
import { dayRange } from "../src/app/insights-http.ts";

/** GET /agent/insights/misses?from=&to=: unanswered questions, grouped by similarity (admins only). */
export const handler = agentRoute("GET /agent/insights/misses", async ({ agent, agents, event }) =>
  agents.insights.misses(agent, dayRange(event)),
);
