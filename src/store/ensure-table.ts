import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { TABLE, tableDefinition } from "./table.ts";

/**
 * Creates the table for the local runtime and tests when it is missing, then turns on TTL where the
 * store supports it (DynamoDB Local does, dynalite has no TTL API: reads ignore expired items anyway).
 */
export async function ensureTable(
  client: Pick<DynamoDBClient, "send">,
  tableName: string,
): Promise<"created" | "exists"> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return "exists";
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  await waitUntilActive(client, tableName);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  }
  return "created";
}

async function waitUntilActive(client: Pick<DynamoDBClient, "send">, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesReady) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become active`);
}

function isUnsupported(error: unknown): boolean {
  return (
    error instanceof Error &&
    /UnknownOperation|not supported|UnrecognizedClient/i.test(`${error.name} ${error.message}`)
  );
}
