import type { APIGatewayProxyHandlerV2 } from "aws-lambda";
import { loadConfig } from "../src/config.ts";
import { httpHandler, json } from "../src/http/api-gateway.ts";
import { loadSecrets } from "../src/secrets.ts";

// Channel credentials decide which channels are on, so the secrets come first.
await loadSecrets();
const { channels } = loadConfig();
const enabled = Object.fromEntries(Object.entries(channels).map(([name, s]) => [name, s.enabled]));

/** GET /healthz: liveness plus which channels this deployment serves. */
export const handler: APIGatewayProxyHandlerV2 = httpHandler("GET /healthz", async () =>
  json(200, { ok: true, channels: enabled }),
);
