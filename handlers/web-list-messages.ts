import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { webHistory } from "../src/channels/web/web.adapter.ts";
import { webListSchema } from "../src/channels/web/web.schemas.ts";
import { httpHandler, json } from "../src/http/api-gateway.ts";
import { runtime } from "../src/runtime.ts";
import { validate } from "../src/validate.ts";

// Cold start: configuration and the store client (this function never classifies).
runtime();

/** GET /web/messages?sessionId=…&after=…: what was said after the cursor (agent replies arrive here). */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /web/messages", async (event) => {
  const query = validate(webListSchema, event.queryStringParameters ?? {}, "query");
  return json(200, await webHistory(runtime().store, query));
});
