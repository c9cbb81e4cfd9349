import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../../src/local/embedded-dynamo.ts";
import { createDocumentClient } from "../../../src/store/client.ts";
import { DynamoDeliveryLedger } from "../../../src/store/delivery-ledger.ts";
import { ensureTable } from "../../../src/store/ensure-table.ts";
import { keys } from "../../../src/store/records.ts";

const TABLE = "delivery-ledger";
const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
let dynamo: EmbeddedDynamo;
let client: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  client = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

describe("DynamoDeliveryLedger", () => {
  it("counts nothing for a delivery it never saw", async () => {
    expect(await new DynamoDeliveryLedger(client, TABLE, () => NOW).delivered("discord:1")).toBe(0);
  });

  it("keeps the highest count: an older attempt's late write does not lower it", async () => {
    const ledger = new DynamoDeliveryLedger(client, TABLE, () => NOW);

    await ledger.recordDelivered("discord:2", 2);
    await ledger.recordDelivered("discord:2", 1);
    await ledger.recordDelivered("discord:3", 1);

    expect(await ledger.delivered("discord:2")).toBe(2);
    expect(await ledger.delivered("discord:3")).toBe(1);
  });

  it("writes a day's TTL, and ignores a mark past it that DynamoDB has not deleted yet", async () => {
    await new DynamoDeliveryLedger(client, TABLE, () => NOW).recordDelivered("discord:4", 3);
    const item = (await client.send(new GetCommand({ TableName: TABLE, Key: keys.delivery("discord:4") })))
      .Item;

    expect(item).toMatchObject({ parts: 3, expiresAt: NOW / 1000 + 86_400 });
    const dayLater = new DynamoDeliveryLedger(client, TABLE, () => NOW + 86_400_000);
    expect(await dayLater.delivered("discord:4")).toBe(0);
  });
});
