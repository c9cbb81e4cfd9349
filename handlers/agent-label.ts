import * as z from "zod/mini";
import { agentRoute } from "../src/app/agent-http.ts";
import { jsonBody } from "../src/http/api-gateway.ts";
import { validate } from "../src/validate.ts";

const messageIdSchema = z.object({
  messageId: z.string().check(z.regex(/^[1-9][0-9]{0,9}\.[0-9]{1,2}$/, "not a message id")),
});
const bodySchema = z.strictObject({ intent: z.string().check(z.minLength(1), z.maxLength(64)) });

/**
 * POST /agent/conversations/{id}/messages/{messageId}/label `{"intent"}`: the intent a user message
 * should have had (any agent who can read the conversation; audited; feeds `content:suggest`).
 */
export const handler = agentRoute(
  "POST /agent/conversations/{id}/messages/{messageId}/label",
  async ({ agent, agents, event, conversationId }) => {
    const id = conversationId();
    const { messageId } = validate(
      messageIdSchema,
      { messageId: event.pathParameters?.messageId ?? "" },
      "path",
    );
    const { intent } = validate(bodySchema, jsonBody(event, 4 * 1024), "body");
    return { label: await agents.insights.label(agent, id, messageId, intent) };
  },
);
