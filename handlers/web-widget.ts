import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { webSettings } from "../src/channels/web/web.settings.ts";
import { serveWidget, widgetScript } from "../src/channels/web/widget-script.ts";
import { httpHandler } from "../src/http/api-gateway.ts";
import { validate } from "../src/validate.ts";

/** GET /widget.js: the chat bubble operators paste into their own site (allowed sites only). */
const { WEB_ALLOWED_ORIGINS } = validate(webSettings.env, process.env, "environment");
const script = widgetScript();

export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /widget.js", async (event) =>
  serveWidget(event, script, WEB_ALLOWED_ORIGINS),
);
