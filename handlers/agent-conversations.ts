import * as z from "zod/mini";
import { agentRoute } from "../src/app/agent-http.ts";
import { validate } from "../src/validate.ts";

const query = z.strictObject({ status: z._default(z.enum(["waiting", "agent", "mine"]), "waiting") });

/** GET /agent/conversations?status=waiting|agent|mine: the queue (priority, then age) or held ones. */
export const handler = agentRoute("GET /agent/conversations", async ({ agent, agents, event }) => {
  const { status } = validate(query, event.queryStringParameters ?? {}, "query");
  return { conversations: await agents.service.list(agent, status) };
});
