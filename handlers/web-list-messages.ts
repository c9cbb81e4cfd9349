import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { runtime } from "../src/app/runtime.ts";
import { webOrigins } from "../src/app/web.ts";
import { WEB_LIMITS, webListSchema } from "../src/channels/web/web.schemas.ts";
import { userHistory } from "../src/handoff/history.ts";
import { httpHandler, json } from "../src/http/api-gateway.ts";
import { validate } from "../src/validate.ts";

// Cold start: configuration and the store client (this function never classifies).
runtime();

/** GET /web/messages?sessionId=…&after=…: what was said after the cursor (agent replies arrive here). */
export const handler: APIGatewayProxyHandlerV2 = httpHandler(
  "GET /web/messages",
  webOrigins(async (event) => {
    const query = validate(webListSchema, event.queryStringParameters ?? {}, "query");
    const history = await userHistory(
      runtime().store,
      `web:${query.sessionId}`,
      query.after,
      WEB_LIMITS.historyPage,
    );
    return json(200, history);
  }),
);
