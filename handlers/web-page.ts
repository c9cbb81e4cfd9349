import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { CHAT_PAGE_CSP, CHAT_PAGE_HTML } from "../src/channels/web/chat-page.ts";
import { html, httpHandler } from "../src/http/api-gateway.ts";

/** GET /: the web chat page, locked down by a CSP that allows only its own inline script and style. */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /", async () =>
  html(CHAT_PAGE_HTML, { "content-security-policy": CHAT_PAGE_CSP, "x-frame-options": "DENY" }),
);
