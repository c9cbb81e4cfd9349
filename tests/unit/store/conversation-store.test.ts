import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/errors.ts";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../../src/local/embedded-dynamo.ts";
import { createDocumentClient } from "../../../src/store/client.ts";
import { DynamoConversationStore } from "../../../src/store/conversation-store.ts";
import { ensureTable } from "../../../src/store/ensure-table.ts";
import {
  type ConversationRecord,
  conversationIdFor,
  keys,
  type MessageRecord,
  userHash,
} from "../../../src/store/records.ts";

/** The store's clock in these tests: 2026-11-22T09:00:00Z. */
const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const NOW_S = NOW / 1000;
const DAY = 86_400;
const at = (minute: number) => new Date(NOW + minute * 60_000).toISOString();

function head(userKey: string, overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  const seq = overrides.seq ?? 1;
  return {
    conversationId: conversationIdFor(userKey, seq),
    seq,
    channel: "web",
    userKey,
    status: "bot",
    language: "en",
    dialogue: { locale: "en", misses: 0 },
    version: 1,
    recentEvents: [],
    lastMessages: [],
    createdAt: at(0),
    updatedAt: at(0),
    expiresAt: NOW_S + DAY,
    ...overrides,
  };
}

function message(conversationId: string, version: number, index: number, text = `m ${version}.${index}`) {
  const record: MessageRecord = {
    conversationId,
    id: `${version}.${index}`,
    version,
    index,
    from: index === 0 ? "user" : "bot",
    text,
    at: at(version),
    expiresAt: NOW_S + DAY,
  };
  return record;
}

const ids = (items: readonly { id: string }[]) => items.map((m) => m.id);
const conversations = (heads: readonly ConversationRecord[]) => heads.map((h) => h.conversationId);

let dynamo: EmbeddedDynamo;
let client: ReturnType<typeof createDocumentClient>;
let tables = 0;
let tableName: string;
let store: DynamoConversationStore;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  client = createDocumentClient({ endpoint: dynamo.endpoint });
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

// A table per test: the queue index is shared by every head in a table.
beforeEach(async () => {
  tableName = `conversation-store-${++tables}`;
  await ensureTable(client, tableName);
  store = new DynamoConversationStore(client, tableName, () => NOW);
});

async function scan(): Promise<Record<string, unknown>[]> {
  return (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
}

describe("saveHead", () => {
  it("refuses a version write for a head that does not exist yet", async () => {
    // Act
    const outcome = store.saveHead(head("web:never-saved", { version: 2 }), 1);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
    expect(await scan()).toEqual([]);
  });

  it("names the conversation and version in the ConflictError, keeps the SDK error as cause, and changes nothing", async () => {
    // Prepare
    const first = head("web:conflict-user");
    await store.saveHead(first, 0);
    await store.saveHead({ ...first, version: 2, status: "waiting", waitingSince: at(1) }, 1);

    // Act
    const error = await store.saveHead({ ...first, version: 3, status: "closed" }, 1).catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toBe(`conversation ${first.conversationId} changed since version 1`);
    expect(error.cause).toBeInstanceOf(ConditionalCheckFailedException);
    expect((await store.loadHead(first.userKey)).current).toMatchObject({ version: 2, status: "waiting" });
  });

  it("returns the head without storage keys", async () => {
    // Prepare
    const waiting = head("web:storage-keys", { status: "waiting", waitingSince: at(2) });
    await store.saveHead(waiting, 0);

    // Act
    const { current, stored } = await store.loadHead(waiting.userKey);

    // Assess
    expect(current).toEqual(waiting);
    expect(stored).toEqual({ version: 1, seq: 1 });
    const [raw] = await scan();
    expect(raw).toMatchObject({ pk: `USER#${userHash(waiting.userKey)}`, sk: "CONV", queuePk: "WAITING" });
  });
});

describe("loadHead and loadHeadById", () => {
  it("finds nothing for a user who never wrote", async () => {
    expect(await store.loadHead("web:nobody")).toEqual({});
    expect(await store.loadHeadById(conversationIdFor("web:nobody", 1))).toBeUndefined();
  });

  it("reads a head as expired once its clock passes expiresAt, keeping what the next write needs", async () => {
    // Prepare
    const live = head("web:clock-user", { version: 4, seq: 3, expiresAt: NOW_S + 60 });
    await store.saveHead(live, 0);
    const later = new DynamoConversationStore(client, tableName, () => NOW + 60_000);

    // Act
    const before = await store.loadHead(live.userKey);
    const after = await later.loadHead(live.userKey);

    // Assess
    expect(before.current).toEqual(live);
    expect(after).toEqual({ stored: { version: 4, seq: 3 } });
    expect(await later.loadHeadById(live.conversationId)).toBeUndefined();
  });

  it("finds a resolved conversation by id in its archive once the user's next one replaced the head", async () => {
    // Prepare
    const userKey = "web:archive-user";
    const resolved = head(userKey, { status: "closed", version: 5 });
    await store.saveHead(resolved, 0);
    await store.archiveHead(resolved);
    const next = head(userKey, { seq: 2, version: 6 });
    await store.saveHead(next, 5);

    // Act
    const old = await store.loadHeadById(resolved.conversationId);
    const current = await store.loadHeadById(next.conversationId);

    // Assess
    expect(old).toEqual(resolved);
    expect(current).toEqual(next);
    expect(await store.loadHeadById(conversationIdFor(userKey, 3))).toBeUndefined();
  });

  it("ignores an expired archive", async () => {
    // Prepare
    const userKey = "web:expired-archive";
    const resolved = head(userKey, { status: "closed", expiresAt: NOW_S - 1 });
    await store.archiveHead(resolved);

    // Act + Assess
    expect(await store.loadHeadById(resolved.conversationId)).toBeUndefined();
  });
});

describe("archiveHead", () => {
  it("stores the head under its conversation, outside the queue index", async () => {
    // Prepare
    const waiting = head("web:archived-waiting", { status: "waiting", waitingSince: at(1) });

    // Act
    await store.archiveHead(waiting);

    // Assess
    const raw = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.archive(waiting.conversationId) }),
    );
    expect(raw.Item).toEqual({ ...waiting, ...keys.archive(waiting.conversationId) });
    expect(await store.listQueue("waiting")).toEqual([]);
  });
});

describe("putMessages and listMessages", () => {
  it("is idempotent: writing the same messages again keeps one item each, the latest text", async () => {
    // Prepare
    const id = conversationIdFor("web:idempotent", 1);
    const turn = [message(id, 1, 0), message(id, 1, 1), message(id, 1, 2)];
    await store.putMessages(turn);

    // Act
    await store.putMessages(turn);
    await store.putMessages([message(id, 1, 1, "repaired")]);

    // Assess
    const stored = await store.listMessages(id);
    expect(ids(stored)).toEqual(["1.0", "1.1", "1.2"]);
    expect(stored[1]?.text).toBe("repaired");
    expect(stored[0]).toEqual(turn[0]);
    expect(await scan()).toHaveLength(3);
  });

  it("writes nothing for no messages", async () => {
    await store.putMessages([]);
    expect(await scan()).toEqual([]);
  });

  it("orders by version numerically and pages with the last message as the cursor", async () => {
    // Prepare: versions 9, 10 and 100 sort wrongly as plain strings
    const id = conversationIdFor("web:paging", 1);
    const all = [9, 10, 100].flatMap((v) => [message(id, v, 0), message(id, v, 1)]);
    await store.putMessages([...all].reverse());

    // Act
    const pages: string[][] = [];
    let after: { version: number; index: number } | undefined;
    for (;;) {
      const page = await store.listMessages(id, after, 4);
      if (page.length === 0) break;
      pages.push(ids(page));
      const last = page.at(-1) as MessageRecord;
      after = { version: last.version, index: last.index };
    }

    // Assess
    expect(pages).toEqual([
      ["9.0", "9.1", "10.0", "10.1"],
      ["100.0", "100.1"],
    ]);
  });

  it("lists only messages: not the archived head of the same conversation, not other conversations", async () => {
    // Prepare
    const userKey = "web:only-messages";
    const resolved = head(userKey, { status: "closed" });
    await store.archiveHead(resolved);
    await store.putMessages([
      message(resolved.conversationId, 1, 0),
      message(conversationIdFor(userKey, 2), 2, 0),
    ]);

    // Act
    const listed = await store.listMessages(resolved.conversationId);
    const afterFirst = await store.listMessages(resolved.conversationId, { version: 0, index: 0 });

    // Assess
    expect(ids(listed)).toEqual(["1.0"]);
    expect(ids(afterFirst)).toEqual(["1.0"]);
  });

  it("leaves out expired messages", async () => {
    // Prepare
    const id = conversationIdFor("web:expired-messages", 1);
    await store.putMessages([{ ...message(id, 1, 0), expiresAt: NOW_S }, message(id, 2, 0)]);

    // Act + Assess
    expect(ids(await store.listMessages(id))).toEqual(["2.0"]);
    expect(await store.messagesAtVersion(id, 1)).toEqual([]);
  });

  it("reads one version's messages without its prefix matching longer versions", async () => {
    // Prepare
    const id = conversationIdFor("web:at-version", 1);
    await store.putMessages([1, 10, 11, 100].flatMap((v) => [message(id, v, 0), message(id, v, 1)]));

    // Act
    const atOne = await store.messagesAtVersion(id, 1);

    // Assess
    expect(ids(atOne)).toEqual(["1.0", "1.1"]);
    expect(ids(await store.messagesAtVersion(id, 2))).toEqual([]);
  });
});

describe("listQueue and queuePosition", () => {
  async function waiting(name: string, minute: number, priority?: "urgent" | "normal") {
    const h = head(`web:${name}`, {
      status: "waiting",
      waitingSince: at(minute),
      ...(priority ? { priority } : {}),
    });
    await store.saveHead(h, 0);
    return h;
  }

  it("lists waiting heads urgent first, then oldest, leaving out expired and other heads", async () => {
    // Prepare
    const normalNew = await waiting("normal-new", 30, "normal");
    const urgentNew = await waiting("urgent-new", 20, "urgent");
    const noPriority = await waiting("no-priority", 10);
    const urgentOld = await waiting("urgent-old", 25, "urgent");
    await store.saveHead(
      head("web:expired-waiting", { status: "waiting", waitingSince: at(0), expiresAt: NOW_S - 1 }),
      0,
    );
    await store.saveHead(head("web:with-bot"), 0);

    // Act
    const queue = await store.listQueue("waiting");

    // Assess
    expect(conversations(queue)).toEqual(conversations([urgentNew, urgentOld, noPriority, normalNew]));
    expect(queue[0]).toEqual(urgentNew);
  });

  it("stops at the limit", async () => {
    // Prepare
    const heads = [];
    for (let i = 0; i < 5; i++) heads.push(await waiting(`limited-${i}`, i));

    // Act
    const first = await store.listQueue("waiting", 3);

    // Assess
    expect(conversations(first)).toEqual(conversations(heads.slice(0, 3)));
  });

  it("lists held heads by claim time, and a head leaves the waiting queue when claimed and both when closed", async () => {
    // Prepare
    const a = await waiting("held-a", 1);
    const b = await waiting("held-b", 2);
    const c = await waiting("held-c", 3);
    await store.saveHead({ ...a, status: "agent", claimedBy: "ag_1", claimedAt: at(50), version: 2 }, 1);
    await store.saveHead({ ...b, status: "agent", claimedBy: "ag_2", claimedAt: at(40), version: 2 }, 1);
    await store.saveHead({ ...c, status: "agent", claimedBy: "ag_1", claimedAt: at(45), version: 2 }, 1);
    await store.saveHead({ ...c, status: "closed", version: 3 }, 2);

    // Act
    const held = await store.listQueue("held");
    const stillWaiting = await store.listQueue("waiting");

    // Assess
    expect(conversations(held)).toEqual(conversations([b, a]));
    expect(held[0]).toMatchObject({ status: "agent", claimedBy: "ag_2" });
    expect(stillWaiting).toEqual([]);
  });

  it("counts how many waiting conversations are ahead, urgent ones first", async () => {
    // Prepare
    const first = await waiting("position-first", 1);
    const second = await waiting("position-second", 2);
    const urgent = await waiting("position-urgent", 3, "urgent");

    // Act
    const positions = await Promise.all([first, second, urgent].map((h) => store.queuePosition(h)));

    // Assess
    expect(positions).toEqual([1, 2, 0]);
    expect(await store.queuePosition(head("web:not-waiting"))).toBe(0);
  });
});

describe("forgetUser", () => {
  it("deletes the head, every message of every conversation and the archives, and nothing of others", async () => {
    // Prepare
    const userKey = "web:forget-me";
    const other = head("web:keep-me");
    await store.saveHead(other, 0);
    await store.putMessages([message(other.conversationId, 1, 0)]);
    const first = head(userKey, { status: "closed" });
    await store.saveHead(first, 0);
    await store.archiveHead(first);
    const messages = Array.from({ length: 30 }, (_, i) => message(first.conversationId, i + 1, 0));
    const second = head(userKey, { seq: 2, version: 31 });
    await store.putMessages([
      ...messages,
      message(second.conversationId, 31, 0),
      message(second.conversationId, 31, 1),
    ]);
    await store.saveHead(second, 1);

    // Act
    const deleted = await store.forgetUser(userKey);

    // Assess
    expect(deleted).toBe(1 + 1 + 30 + 2);
    expect(await store.loadHead(userKey)).toEqual({});
    expect(await store.loadHeadById(first.conversationId)).toBeUndefined();
    expect(await store.listMessages(first.conversationId)).toEqual([]);
    expect(await store.listMessages(second.conversationId)).toEqual([]);
    const left = await scan();
    expect(left.map((i) => `${i.pk} ${i.sk}`).sort()).toEqual(
      [`USER#${userHash(other.userKey)} CONV`, `CONV#${other.conversationId} ${keys.messageSk(1, 0)}`].sort(),
    );
  });

  it("deletes nothing and answers 0 for a user without a head", async () => {
    // Prepare
    await store.saveHead(head("web:someone-else"), 0);

    // Act + Assess
    expect(await store.forgetUser("web:unknown")).toBe(0);
    expect(await scan()).toHaveLength(1);
  });
});
