import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { CONSOLE_PAGE_CSP, CONSOLE_PAGE_HTML } from "../src/handoff/console-page.ts";
import { html, httpHandler } from "../src/http/api-gateway.ts";

/** GET /console: the agent console; it signs in with an agent token against /agent/... */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /console", async () =>
  html(CONSOLE_PAGE_HTML, { "content-security-policy": CONSOLE_PAGE_CSP, "x-frame-options": "DENY" }),
);
