import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { ForbiddenError } from "../../errors.ts";
import type { HttpResult } from "../../http/api-gateway.ts";

type Handle = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

const PREFLIGHT = {
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "600",
};

/**
 * The web chat's cross-origin rule, around a web route's handling: a request from the chat's own
 * page or without an `Origin` (not a browser) passes; one from an allowed origin passes with the
 * CORS headers; any other browser origin is refused (403) before the body is read. `OPTIONS` is the
 * browser's preflight.
 */
export function withAllowedOrigins(allowed: () => readonly string[], handle: Handle): Handle {
  return async (event, context) => {
    const origin = event.headers?.origin;
    const cors = origin === undefined || sameOrigin(origin, event.headers?.host) ? {} : allowedOrigin(origin);
    if (event.requestContext?.http?.method === "OPTIONS") {
      return { statusCode: 204, headers: { ...cors, ...PREFLIGHT }, body: "" };
    }
    const result = await handle(event, context);
    return { ...result, headers: { ...result.headers, ...cors } };
  };

  function allowedOrigin(origin: string): Record<string, string> {
    if (!allowed().includes(origin)) throw new ForbiddenError("this site may not use the web chat");
    return { "access-control-allow-origin": origin, vary: "origin" };
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
