import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { metaChannel } from "../src/channels/meta/meta.runtime.ts";
import { NotFoundError } from "../src/errors.ts";
import { httpHandler, rawBody } from "../src/http/api-gateway.ts";
import { runtime } from "../src/runtime.ts";
import { loadSecrets } from "../src/secrets.ts";

// Cold start: secrets, configuration, store client, model.
await loadSecrets();
metaChannel(runtime());

/** Meta's notifications are small; anything larger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * GET /webhooks/meta: Meta's subscription check (`hub.challenge`). POST /webhooks/meta: WhatsApp and
 * Messenger notifications; the signature is checked over the raw body before it is parsed.
 */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("/webhooks/meta", async (event) => {
  const meta = metaChannel(runtime());
  if (!meta) throw new NotFoundError("the WhatsApp / Messenger channel is not enabled");
  if (event.requestContext.http.method === "GET") return meta.verify(event.queryStringParameters ?? {});
  return meta.webhook(event.headers, rawBody(event, MAX_BODY_BYTES));
});
