import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { traced } from "../tracing.ts";

export interface DynamoOptions {
  /** A DynamoDB-compatible endpoint (the embedded store, DynamoDB Local); unset in AWS. */
  endpoint?: string;
  region?: string;
}

/**
 * One document client per process. Against a local endpoint the credentials are placeholders that
 * the local stores accept; in AWS the SDK takes the function's role from the environment.
 */
export function createDocumentClient(options: DynamoOptions = {}): DynamoDBDocumentClient {
  const region = options.region ?? (options.endpoint ? "local" : undefined);
  const client = traced(
    new DynamoDBClient({
      ...(region ? { region } : {}),
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
      maxAttempts: 3,
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
