import { QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBrain } from "../../src/config.ts";
import { ConflictError } from "../../src/errors.ts";
import { type BotDependencies, handleInbound } from "../../src/handoff/inbound.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { DynamoConversationStore } from "../../src/store/conversation-store.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";
import { type ConversationRecord, conversationIdFor, type MessageRecord } from "../../src/store/records.ts";
import { TABLE } from "../../src/store/table.ts";
import { type RunningBackend, storeBackends } from "../support/dynamodb-backends.ts";
import { countRequests } from "../support/request-counter.ts";

const brain = loadBrain();
const DAY = 86_400;

function head(userKey: string, overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  const now = Math.floor(Date.now() / 1000);
  return {
    conversationId: conversationIdFor(userKey, 1),
    seq: 1,
    channel: "web",
    userKey,
    status: "bot",
    language: "en",
    dialogue: { locale: "en", misses: 0 },
    version: 1,
    recentEvents: [],
    lastMessages: [],
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    expiresAt: now + DAY,
    ...overrides,
  };
}

function message(conversationId: string, version: number, index: number, expiresAt: number): MessageRecord {
  return {
    conversationId,
    id: `${version}.${index}`,
    version,
    index,
    from: index === 0 ? "user" : "bot",
    text: `message ${version}.${index}`,
    at: new Date().toISOString(),
    expiresAt,
  };
}

let tableCount = 0;

for (const backend of storeBackends()) {
  if (backend.skipReason) console.warn(backend.skipReason);

  describe.skipIf(backend.skipReason !== undefined)(`conversation store on ${backend.name}`, () => {
    let running: RunningBackend;
    let client: ReturnType<typeof createDocumentClient>;
    let store: DynamoConversationStore;
    let tableName: string;
    let bot: BotDependencies;

    beforeAll(async () => {
      running = await backend.start();
      client = createDocumentClient({ endpoint: running.endpoint });
      tableName = `guardline-test-${++tableCount}`;
      await ensureTable(client, tableName);
      store = new DynamoConversationStore(client, tableName);
      bot = { store, brain, retentionDays: 30 };
    }, 60_000);

    afterAll(async () => {
      client?.destroy();
      await running?.stop();
    });

    it("creates a head once and then writes it only under the version it read", async () => {
      // Prepare
      const first = head("web:version-check-user-0001");
      await store.saveHead(first, 0);

      // Act + Assess
      await expect(store.saveHead(first, 0)).rejects.toBeInstanceOf(ConflictError);
      await store.saveHead({ ...first, version: 2, status: "waiting" }, 1);
      await expect(store.saveHead({ ...first, version: 3 }, 1)).rejects.toBeInstanceOf(ConflictError);
      const { current } = await store.loadHead(first.userKey);
      expect(current).toMatchObject({ version: 2, status: "waiting", conversationId: first.conversationId });
      expect(await store.loadHeadById(first.conversationId)).toMatchObject({ version: 2 });
      expect(await store.loadHeadById("not-a-conversation-id")).toBeUndefined();
    });

    it("keeps one item per message, in order, across batches of more than 25", async () => {
      // Prepare
      const id = conversationIdFor("web:many-messages-user-001", 1);
      const expiresAt = Math.floor(Date.now() / 1000) + DAY;
      const messages = Array.from({ length: 30 }, (_, i) =>
        message(id, Math.floor(i / 3) + 1, i % 3, expiresAt),
      );

      // Act
      await store.putMessages(messages);

      // Assess
      const all = await store.listMessages(id);
      expect(all.map((m) => m.id)).toEqual(messages.map((m) => m.id));
      const after = await store.listMessages(id, { version: 9, index: 1 }, 5);
      expect(after.map((m) => m.id)).toEqual(["9.2", "10.0", "10.1", "10.2"]);
      expect((await store.messagesAtVersion(id, 4)).map((m) => m.id)).toEqual(["4.0", "4.1", "4.2"]);
    });

    it("ignores expired items that DynamoDB has not deleted yet, and writes over an expired head", async () => {
      // Prepare
      const past = Math.floor(Date.now() / 1000) - 60;
      const old = head("web:expired-user-000000001", { expiresAt: past, version: 7, seq: 2 });
      await store.saveHead(old, 0);
      await store.putMessages([message(old.conversationId, 7, 0, past)]);

      // Act
      const snapshot = await store.loadHead(old.userKey);

      // Assess
      expect(snapshot.current).toBeUndefined();
      expect(snapshot.stored).toEqual({ version: 7, seq: 2 });
      expect(await store.listMessages(old.conversationId)).toEqual([]);
      expect(await store.loadHeadById(old.conversationId)).toBeUndefined();
      const outcome = await handleInbound(bot, {
        channel: "web",
        userKey: old.userKey,
        content: { type: "text", text: "hello" },
      });
      expect(outcome.conversationId).toBe(conversationIdFor(old.userKey, 3));
    });

    it("lists waiting conversations in the queue index, urgent first, then oldest", async () => {
      // Prepare
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute)).toISOString();
      const normalOld = head("web:queue-normal-old-00001", {
        status: "waiting",
        priority: "normal",
        waitingSince: at(1),
      });
      const urgent = head("web:queue-urgent-0000000001", {
        status: "waiting",
        priority: "urgent",
        waitingSince: at(5),
      });
      const normalNew = head("web:queue-normal-new-00001", {
        status: "waiting",
        priority: "normal",
        waitingSince: at(3),
      });
      const served = head("web:queue-served-000000001", { status: "waiting", waitingSince: at(0) });
      for (const h of [normalOld, urgent, normalNew, served]) await store.saveHead(h, 0);

      // Act: an agent takes one conversation, so it leaves the queue
      await store.saveHead({ ...served, status: "agent", version: 2 }, 1);

      // Assess
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.queueIndex,
          KeyConditionExpression: "queuePk = :waiting",
          ExpressionAttributeValues: { ":waiting": "WAITING" },
        }),
      );
      const mine = new Set([normalOld, urgent, normalNew, served].map((h) => h.conversationId));
      const order = (result.Items ?? []).map((i) => i.conversationId).filter((id) => mine.has(id));
      expect(order).toEqual([urgent, normalOld, normalNew].map((h) => h.conversationId));
    });

    it("answers a message in three DynamoDB requests: read the head, write it, write the messages", async () => {
      // Prepare
      const userKey = "web:request-count-user-0001";
      const counted = countRequests(client);

      // Act
      const outcome = await handleInbound(bot, {
        channel: "web",
        userKey,
        eventId: "web:m1",
        content: { type: "text", text: "忘记登录密码了怎么办" },
      });
      const turn = counted.take();
      await handleInbound(bot, {
        channel: "web",
        userKey,
        eventId: "web:m1",
        content: { type: "text", text: "x" },
      });
      const duplicate = counted.take();
      counted.stop();

      // Assess
      expect(outcome.replies[0]?.text).toContain("1.");
      expect(turn).toEqual(["GetItemCommand", "PutItemCommand", "BatchWriteItemCommand"]);
      expect(duplicate).toEqual(["GetItemCommand", "BatchWriteItemCommand"]);
    });

    it("stores and answers an event once when it is delivered five times at once", async () => {
      // Prepare
      const userKey = "web:concurrent-same-event-01";
      const send = () =>
        handleInbound(bot, {
          channel: "web",
          userKey,
          eventId: "web:same-id",
          content: { type: "text", text: "how long does a withdrawal take" },
        });

      // Act
      const outcomes = await Promise.all([send(), send(), send(), send(), send()]);

      // Assess
      expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
      for (const o of outcomes) expect(o.replies).toEqual(outcomes[0]?.replies);
      const stored = await store.listMessages(conversationIdFor(userKey, 1));
      expect(stored.filter((m) => m.from === "user")).toHaveLength(1);
      expect(stored.filter((m) => m.from === "bot")).toHaveLength(outcomes[0]?.replies.length ?? -1);
    });

    it("keeps every message when different events of one user race, each under its own version", async () => {
      // Prepare
      const userKey = "web:concurrent-other-events";
      const texts = ["hi", "what are the fees", "how do I top up", "thanks"];

      // Act
      await Promise.all(
        texts.map((text, i) =>
          handleInbound(bot, {
            channel: "web",
            userKey,
            eventId: `web:e${i}`,
            content: { type: "text", text },
          }),
        ),
      );

      // Assess
      const stored = await store.listMessages(conversationIdFor(userKey, 1));
      const users = stored.filter((m) => m.from === "user");
      expect(users.map((m) => m.text).sort()).toEqual([...texts].sort());
      expect(new Set(users.map((m) => m.version)).size).toBe(texts.length);
      const { current } = await store.loadHead(userKey);
      expect(current?.version).toBe(texts.length);
      expect(current?.recentEvents.map((e) => e.id).sort()).toEqual(["web:e0", "web:e1", "web:e2", "web:e3"]);
    });

    it("writes only the documented keys", async () => {
      // Act
      const result = await client.send(new ScanCommand({ TableName: tableName }));

      // Assess
      for (const item of result.Items ?? []) {
        expect(`${item.pk} ${item.sk}`).toMatch(
          /^(USER#[\w-]{22} CONV|CONV#[\w-]{22}\.\d+ (MSG#\d{10}#\d{2}|MISS#\d+\.\d+)|FACT#\d{4}-\d\d-\d\d#[0-3] [\d:.TZ-]+#[\w-]{22}#\d+)$/,
        );
        expect(typeof item.expiresAt).toBe("number");
      }
    });
  });
}
