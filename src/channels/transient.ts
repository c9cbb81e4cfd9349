import { ChannelApiError } from "../errors.ts";

/**
 * Worth a redelivery by the platform: the store or the platform's API was unavailable, or a write
 * lost every race. The turn is stored before replies are sent, so the redelivered event replays the
 * same replies.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ChannelApiError)
    return error.retryable ?? (error.apiStatus === 0 || error.apiStatus === 429 || error.apiStatus >= 500);
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e?.name === "ConflictError" || e?.name === "ServiceUnavailableError" || e?.$retryable) return true;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return /Throttl|ProvisionedThroughput|RequestLimit|ServiceUnavailable|InternalServer|Timeout|ECONN|ETIMEDOUT|EPIPE|socket/i.test(
    `${e?.name} ${e?.code}`,
  );
}
