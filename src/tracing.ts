import type { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * X-Ray tracing with the Powertools Tracer, when the stage turns it on (`tracing: Active`, which sets
 * POWERTOOLS_TRACE_ENABLED=true): DynamoDB calls and outgoing HTTPS requests become subsegments of the
 * function's trace. Off, the tracer and the X-Ray SDK are never evaluated, so cold starts do not pay.
 */
export const tracer: Tracer | undefined =
  process.env.POWERTOOLS_TRACE_ENABLED === "true"
    ? new (await import("@aws-lambda-powertools/tracer")).Tracer()
    : undefined;

/** The AWS SDK client, traced when tracing is on. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
