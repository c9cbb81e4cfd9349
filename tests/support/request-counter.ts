import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Records the DynamoDB operations a client sends (as the low-level command names), so tests and the
 * bench can state how many requests one message costs.
 */
export function countRequests(client: DynamoDBDocumentClient) {
  let seen: string[] = [];
  const name = `count-requests-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      seen.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name },
  );
  return {
    /** The operations since the last call, in order. */
    take(): string[] {
      const taken = seen;
      seen = [];
      return taken;
    },
    stop(): void {
      client.middlewareStack.remove(name);
    },
  };
}
