import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { consolePage } from "../src/handoff/console-page.ts";
import { html, httpHandler } from "../src/http/api-gateway.ts";

/** GET /console: the agent console; it signs in with an agent token against /agent/... */
const page = consolePage();

export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /console", async () =>
  html(page.html, page.headers),
);
