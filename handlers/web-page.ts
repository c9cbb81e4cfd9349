import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { chatPage } from "../src/channels/web/chat-page.ts";
import { webSettings } from "../src/channels/web/web.settings.ts";
import { html, httpHandler } from "../src/http/api-gateway.ts";
import { validate } from "../src/validate.ts";

/** GET /: the web chat page, locked down by a CSP that allows only its own inline script and style. */
const { WEB_ALLOWED_ORIGINS } = validate(webSettings.env, process.env, "environment");
const page = chatPage(WEB_ALLOWED_ORIGINS);

export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /", async () =>
  html(page.html, page.headers),
);
