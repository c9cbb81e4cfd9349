import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { telegramChannel } from "../src/channels/telegram/telegram.runtime.ts";
import { NotFoundError } from "../src/errors.ts";
import { httpHandler, rawBody } from "../src/http/api-gateway.ts";
import { runtime } from "../src/runtime.ts";
import { loadSecrets } from "../src/secrets.ts";

// Cold start: secrets, configuration, store client, model, and the Telegram client (no getMe call).
await loadSecrets();
telegramChannel(runtime());

/** POST /webhooks/telegram: Telegram's webhook; the secret header is checked before the body is read. */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("POST /webhooks/telegram", async (event) => {
  const telegram = telegramChannel(runtime());
  if (!telegram) throw new NotFoundError("the Telegram channel is not enabled");
  return telegram.webhook(event.headers, rawBody(event, Number.POSITIVE_INFINITY));
});
