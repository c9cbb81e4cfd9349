import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { isTransient } from "../../../src/channels/transient.ts";
import { ChannelApiError, ConflictError, UnauthorizedError, ValidationError } from "../../../src/errors.ts";

const apiError = (status: number) =>
  new ChannelApiError("telegram", "sendMessage", status, `status ${status}`);

/** An error shaped like the AWS SDK v3's service exceptions. */
function sdkError(name: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(name), { name, ...fields });
}

describe("isTransient", () => {
  it("retries a platform API that could not be reached, throttled, or failed on its side", () => {
    expect([0, 429, 500, 502, 503, 504].map((s) => isTransient(apiError(s)))).toEqual(Array(6).fill(true));
  });

  it("does not retry a platform API that refused the request", () => {
    expect([400, 401, 403, 404, 409, 413].map((s) => isTransient(apiError(s)))).toEqual(Array(6).fill(false));
  });

  it("lets the platform's own `retryable` win over the HTTP status", () => {
    // Prepare
    const permanentServerError = apiError(500);
    permanentServerError.retryable = false;
    const retryableBadRequest = apiError(400);
    retryableBadRequest.retryable = true;

    // Act + Assess
    expect(isTransient(permanentServerError)).toBe(false);
    expect(isTransient(retryableBadRequest)).toBe(true);
  });

  it("retries a write that lost every race", () => {
    expect(isTransient(new ConflictError("conversation changed since version 3"))).toBe(true);
  });

  it("retries AWS SDK errors the SDK marks retryable or answers with a 5xx", () => {
    expect(isTransient(sdkError("SomethingNew", { $retryable: { throttling: false } }))).toBe(true);
    expect(isTransient(sdkError("InternalFailure", { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(sdkError("Whatever", { $metadata: { httpStatusCode: 503 } }))).toBe(true);
  });

  it("retries throttling and unavailability by name, and network failures by code", () => {
    // Prepare
    const throughput = new ProvisionedThroughputExceededException({
      message: "Rate exceeded",
      $metadata: { httpStatusCode: 400 },
    });
    const others = [
      sdkError("ThrottlingException", { $metadata: { httpStatusCode: 400 } }),
      sdkError("RequestLimitExceeded", { $metadata: { httpStatusCode: 400 } }),
      sdkError("ServiceUnavailable", {}),
      sdkError("InternalServerError", {}),
      sdkError("TimeoutError", {}),
      sdkError("Error", { code: "ECONNRESET" }),
      sdkError("Error", { code: "ETIMEDOUT" }),
      sdkError("Error", { code: "EPIPE" }),
    ];

    // Act + Assess
    expect(isTransient(throughput)).toBe(true);
    expect(others.map(isTransient)).toEqual(Array(others.length).fill(true));
  });

  it("does not retry AWS SDK client errors, programming errors or input errors", () => {
    // Prepare
    const conditional = new ConditionalCheckFailedException({
      message: "The conditional request failed",
      $metadata: { httpStatusCode: 400 },
    });
    const permanent = [
      conditional,
      sdkError("ValidationException", { $metadata: { httpStatusCode: 400 } }),
      sdkError("ResourceNotFoundException", { $metadata: { httpStatusCode: 400 }, $retryable: undefined }),
      new TypeError("cannot read properties of undefined"),
      new ValidationError("text: too long", { field: "text" }),
      new UnauthorizedError("bad token"),
      new Error("boom"),
    ];

    // Act + Assess
    expect(permanent.map(isTransient)).toEqual(Array(permanent.length).fill(false));
  });

  it("does not retry values that are not errors", () => {
    expect([undefined, null, "ECONNRESET", 503, {}].map(isTransient)).toEqual(Array(5).fill(false));
  });
});
