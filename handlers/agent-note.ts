import { agentRoute, textBody } from "../src/app/agent-http.ts";
import { AGENT_ROOM } from "../src/app/agent-room.ts";

/** POST /agent/conversations/{id}/notes {"text"}: an internal note, never sent to the user. */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/notes",
  async ({ agent, agents, conversationId, event }) => ({
    message: await agents.service.write(agent, conversationId(), "note", textBody(event)),
  }),
  { room: AGENT_ROOM },
);
