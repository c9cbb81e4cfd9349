import { afterAll, beforeAll } from "vitest";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { DynamoConversationStore } from "../../src/store/conversation-store.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";

/**
 * A conversation store on the embedded DynamoDB API for the file that calls it: started with its
 * table before the file's tests, closed after them. `store()` is valid inside tests only.
 */
export function useEmbeddedStore(table: string): { store: () => DynamoConversationStore } {
  let dynamo: EmbeddedDynamo | undefined;
  let client: ReturnType<typeof createDocumentClient> | undefined;
  let store: DynamoConversationStore | undefined;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    client = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(client, table);
    store = new DynamoConversationStore(client, table);
  });
  afterAll(async () => {
    client?.destroy();
    await dynamo?.close();
  });
  return {
    store: () => {
      if (!store) throw new Error("the embedded store is only there inside tests");
      return store;
    },
  };
}
