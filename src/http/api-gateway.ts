import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { $ZodError } from "zod/v4/core";
import {
  AppError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnofficialContactError,
  ValidationError,
} from "../errors.ts";
import { beginInvocation, errorFields, logger, MetricUnit, publishMetrics } from "../log.ts";

export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function html(body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: 200,
    headers: { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS, ...headers },
    body,
  };
}

/** The exact bytes the client sent: API Gateway base64-encodes bodies it does not treat as text. */
export function rawBody(event: APIGatewayProxyEventV2, maxBytes: number): Buffer {
  const body = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  return withinLimit(bytes, maxBytes);
}

/** The bytes, or a ValidationError naming the body when there are more than `maxBytes`. */
export function withinLimit(bytes: Buffer, maxBytes: number): Buffer {
  if (bytes.length > maxBytes) {
    throw new ValidationError(`body: larger than ${maxBytes} bytes`, { field: "body" });
  }
  return bytes;
}

/** Parses a JSON body of at most `maxBytes`; malformed or oversized input is a ValidationError. */
export function jsonBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  return parseJson(rawBody(event, maxBytes));
}

/** JSON from raw bytes; malformed input is a ValidationError naming the body. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new ValidationError("body: not valid JSON", { cause: error, field: "body" });
  }
}

/**
 * The one error boundary of every HTTP handler: AppErrors below 500 answer with their own message
 * (and the field at fault); anything else is logged by name and answered with a generic 500, so
 * internals never reach the caller. Logs carry the route and outcome, never bodies.
 */
export function httpHandler(
  label: string,
  handle: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>,
): HttpHandler {
  return async (event, context) => {
    const result = await answer(event, context);
    // HEAD is answered as GET, errors included, without the body.
    return event.requestContext?.http?.method === "HEAD" ? { ...result, body: "" } : result;
  };

  async function answer(event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> {
    const started = performance.now();
    beginInvocation(context);
    // API Gateway's route ("POST /webhooks/meta"): one function may serve two methods.
    const route = event.routeKey && event.routeKey !== "$default" ? event.routeKey : label;
    const result = await outcome(route, event, context, started);
    const status = result.statusCode ?? 200;
    // The per-route 5xx alarms (infra/alarms.cjs) read these.
    publishMetrics(route, {
      Requests: [MetricUnit.Count, 1],
      ServerErrors: [MetricUnit.Count, status >= 500 ? 1 : 0],
      Latency: [MetricUnit.Milliseconds, performance.now() - started],
    });
    return result;
  }

  async function outcome(
    route: string,
    event: APIGatewayProxyEventV2,
    context: Context,
    started: number,
  ): Promise<HttpResult> {
    try {
      const result = await handle(event, context);
      const ms = Math.round(performance.now() - started);
      logger.info("request", { route, status: result.statusCode, ms });
      return result;
    } catch (error) {
      if (error instanceof ServiceUnavailableError) {
        logger.warn("request failed", { route, status: 503, errorName: error.name });
        const retryAfter = { "retry-after": String(error.retryAfterSeconds) };
        return json(503, { error: { message: error.message } }, retryAfter);
      }
      const status = error instanceof AppError && error.status < 500 ? error.status : 500;
      // A refused request is the caller's: its name says enough. A failure is ours to diagnose.
      if (status >= 500) logger.error("request failed", { route, status, ...errorFields(error) });
      else
        logger.warn("request failed", {
          route,
          status,
          errorName: error instanceof Error ? error.name : typeof error,
        });
      if (status === 500) return json(500, { error: { message: "internal error" } });
      const wait = error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined;
      const retryAfter = wait === undefined ? {} : { "retry-after": String(wait) };
      return json(status, { error: publicError(error as AppError) }, retryAfter);
    }
  }
}

function publicError(error: AppError): { message: string; field?: string; contacts?: string[] } {
  if (error instanceof UnofficialContactError) {
    return { message: error.message, field: "text", contacts: error.contacts };
  }
  if (error instanceof ValidationError) {
    const issue = error.cause instanceof $ZodError ? error.cause.issues[0] : undefined;
    const message = issue ? `${error.field ?? "request"}: ${issue.message}` : error.message;
    return error.field ? { message, field: error.field } : { message };
  }
  return { message: error.message };
}
