import { agentRoute } from "../src/app/agent-http.ts";
import { dayRange } from "../src/app/insights-http.ts";

/** GET /agent/insights?from=&to=: containment, CSAT, handoffs, intents, agents, safety (admins only). */
export const handler = agentRoute("GET /agent/insights", async ({ agent, agents, event }) => ({
  insights: await agents.insights.insights(agent, dayRange(event)),
}));
