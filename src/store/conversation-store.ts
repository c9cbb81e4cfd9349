import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { ConflictError } from "../errors.ts";
import {
  type ConversationRecord,
  FACT_RETENTION_DAYS,
  factShard,
  keys,
  type MessageRecord,
  type MissRecord,
  parseConversationId,
  type StoredFact,
  userHash,
} from "./records.ts";
import { TABLE } from "./table.ts";

/** What one read of a user's head finds. */
export interface HeadSnapshot {
  /** The live conversation, or undefined for a new user or an expired head. */
  current?: ConversationRecord;
  /** Version and sequence of the stored item, even an expired one: the next write is conditional on it. */
  stored?: { version: number; seq: number };
}

/** The conversation store as the rest of the code sees it; DynamoConversationStore is the one implementation. */
export interface ConversationStore {
  loadHead(userKey: string): Promise<HeadSnapshot>;
  loadHeadById(conversationId: string): Promise<ConversationRecord | undefined>;
  /** Writes the head if its stored version is still `expectedVersion` (0: no item yet); else ConflictError. */
  saveHead(head: ConversationRecord, expectedVersion: number): Promise<void>;
  archiveHead(head: ConversationRecord): Promise<void>;
  /**
   * The turn's message items, its facts for insights and its miss, in one BatchWriteItem (up to 25
   * items), so recording insights costs no extra request. Same keys on a retry.
   */
  putMessages(
    messages: readonly MessageRecord[],
    facts?: readonly StoredFact[],
    misses?: readonly MissRecord[],
  ): Promise<void>;
  /** Messages in order, after the given version/index (exclusive), at most `limit`. */
  listQueue(which: keyof typeof QUEUE, limit?: number): Promise<ConversationRecord[]>;
  queuePosition(head: ConversationRecord): Promise<number>;
  listMessages(
    conversationId: string,
    after?: { version: number; index: number },
    limit?: number,
  ): Promise<MessageRecord[]>;
  messagesAtVersion(conversationId: string, version: number): Promise<MessageRecord[]>;
  /**
   * Deletes the user's head and everything in their conversations' partitions (messages, archived
   * heads, misses, labels); returns how many items. Insights facts stay: they name only the head's
   * random subject, which goes with the head.
   */
  forgetUser(userKey: string): Promise<number>;
}

const BATCH_LIMIT = 25;
const BATCH_RETRIES = 5;

export class DynamoConversationStore implements ConversationStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async loadHead(userKey: string): Promise<HeadSnapshot> {
    const item = await this.getHead(userHash(userKey));
    if (!item) return {};
    const stored = { version: item.version, seq: item.seq };
    return this.isLive(item.expiresAt) ? { current: item, stored } : { stored };
  }

  async loadHeadById(conversationId: string): Promise<ConversationRecord | undefined> {
    const parsed = parseConversationId(conversationId);
    if (!parsed) return undefined;
    const item = await this.getHead(parsed.userHash);
    if (item && item.conversationId === conversationId && this.isLive(item.expiresAt)) return item;
    // A resolved conversation whose user has started a new one lives on as its archived head.
    const archived = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.archive(conversationId) }),
    );
    const head = archived.Item ? toHead(archived.Item) : undefined;
    return head && this.isLive(head.expiresAt) ? head : undefined;
  }

  /** Keeps a resolved conversation readable by agents after the user's next one replaces its head. */
  async archiveHead(head: ConversationRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...head, ...keys.archive(head.conversationId) } }),
    );
  }

  async saveHead(head: ConversationRecord, expectedVersion: number): Promise<void> {
    const item = { ...head, ...keys.head(userHash(head.userKey)), ...queueKeys(head) };
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : {
            ConditionExpression: "version = :expected",
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          `conversation ${head.conversationId} changed since version ${expectedVersion}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async putMessages(
    messages: readonly MessageRecord[],
    facts: readonly StoredFact[] = [],
    misses: readonly MissRecord[] = [],
  ): Promise<void> {
    const items = [
      ...messages.map((message) => ({
        ...message,
        pk: keys.messagePk(message.conversationId),
        sk: keys.messageSk(message.version, message.index),
      })),
      ...facts.map((stored) => factItem(stored, this.now())),
      ...misses.map((miss) => ({
        ...miss,
        ...keys.miss(miss.conversationId, miss.messageId),
        ...keys.byDay("MISS", miss.at, miss.conversationId, miss.messageId),
      })),
    ];
    for (let start = 0; start < items.length; start += BATCH_LIMIT) {
      const chunk = items.slice(start, start + BATCH_LIMIT).map((Item) => ({ PutRequest: { Item } }));
      await this.batchWrite(chunk);
    }
  }

  async listMessages(
    conversationId: string,
    after?: { version: number; index: number },
    limit = 100,
  ): Promise<MessageRecord[]> {
    const range = after
      ? {
          KeyConditionExpression: "pk = :pk AND sk > :after",
          after: keys.messageSk(after.version, after.index),
        }
      : { KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)", prefix: "MSG#" };
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: range.KeyConditionExpression,
        ExpressionAttributeValues: {
          ":pk": keys.messagePk(conversationId),
          ...("after" in range ? { ":after": range.after } : { ":prefix": range.prefix }),
        },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(toMessage).filter((m) => this.isLive(m.expiresAt));
  }

  async messagesAtVersion(conversationId: string, version: number): Promise<MessageRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": keys.messagePk(conversationId),
          ":prefix": keys.messageSk(version, 0).slice(0, -2),
        },
      }),
    );
    return (result.Items ?? []).map(toMessage).filter((m) => this.isLive(m.expiresAt));
  }

  /** Heads in the queue index: waiting ones urgent first then oldest, or held ones by claim time. */
  async listQueue(which: keyof typeof QUEUE, limit = 1000): Promise<ConversationRecord[]> {
    const heads: ConversationRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE.queueIndex,
          KeyConditionExpression: `${TABLE.queuePartitionKey} = :queue`,
          ExpressionAttributeValues: { ":queue": QUEUE[which] },
          Limit: limit - heads.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const head = toHead(item);
        if (this.isLive(head.expiresAt)) heads.push(head);
      }
      start = page.LastEvaluatedKey;
    } while (start && heads.length < limit);
    return heads;
  }

  /** How many waiting conversations are ahead of this one (priority, then age). */
  async queuePosition(head: ConversationRecord): Promise<number> {
    const key = queueKeys(head)[TABLE.queueSortKey];
    if (head.status !== "waiting" || !key) return 0;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE.queueIndex,
        KeyConditionExpression: `${TABLE.queuePartitionKey} = :queue AND ${TABLE.queueSortKey} < :mine`,
        ExpressionAttributeValues: { ":queue": QUEUE.waiting, ":mine": key },
        Select: "COUNT",
      }),
    );
    return result.Count ?? 0;
  }

  async forgetUser(userKey: string): Promise<number> {
    const hash = userHash(userKey);
    const head = await this.getHead(hash);
    if (!head) return 0;
    const keysToDelete: Record<string, string>[] = [keys.head(hash)];
    for (let seq = 1; seq <= head.seq; seq++) {
      const pk = keys.messagePk(`${hash}.${seq}`);
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": pk },
            ProjectionExpression: "pk, sk",
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) keysToDelete.push({ pk: String(item.pk), sk: String(item.sk) });
        start = page.LastEvaluatedKey;
      } while (start);
    }
    for (let i = 0; i < keysToDelete.length; i += BATCH_LIMIT) {
      const chunk = keysToDelete.slice(i, i + BATCH_LIMIT).map((Key) => ({ DeleteRequest: { Key } }));
      await this.batchWrite(chunk);
    }
    return keysToDelete.length;
  }

  private async getHead(hash: string): Promise<ConversationRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.head(hash), ConsistentRead: true }),
    );
    return result.Item ? toHead(result.Item) : undefined;
  }

  /** BatchWriteItem may leave items unprocessed under throttling: retry those with back-off, bounded. */
  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > BATCH_RETRIES) throw new Error(`${pending.length} message writes left unprocessed`);
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const result = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
    }
  }

  private isLive(expiresAt: number): boolean {
    return expiresAt * 1000 > this.now();
  }
}

const PRIORITY_RANK = { urgent: 0, normal: 1 } as const;

/**
 * The sparse queue index: waiting conversations by priority then age, and conversations agents hold
 * by claim time. Other heads carry no index keys and stay out of it.
 */
function queueKeys(head: ConversationRecord) {
  if (head.status === "waiting") {
    const rank = PRIORITY_RANK[head.priority ?? "normal"];
    return {
      [TABLE.queuePartitionKey]: QUEUE.waiting,
      [TABLE.queueSortKey]: `${rank}#${head.waitingSince ?? head.updatedAt}#${head.conversationId}`,
    };
  }
  if (head.status === "agent") {
    return {
      [TABLE.queuePartitionKey]: QUEUE.held,
      [TABLE.queueSortKey]: `${head.claimedAt ?? head.updatedAt}#${head.conversationId}`,
    };
  }
  return {};
}

export const QUEUE = { waiting: "WAITING", held: "HELD" } as const;

const STORAGE_ONLY = new Set(["pk", "sk", TABLE.queuePartitionKey, TABLE.queueSortKey]);

function withoutStorageKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name)));
}

/** Items are written only by this class; the cast is checked by the version field every head has. */
function toHead(item: Record<string, unknown>): ConversationRecord {
  if (typeof item.version !== "number") throw new Error("conversation head without a version");
  return withoutStorageKeys(item) as unknown as ConversationRecord;
}

function toMessage(item: Record<string, unknown>): MessageRecord {
  return withoutStorageKeys(item) as unknown as MessageRecord;
}

function factItem(stored: StoredFact, now: number): Record<string, unknown> {
  const { fact } = stored;
  return {
    ...fact,
    pk: keys.factPk(fact.at.slice(0, 10), factShard(fact.subject)),
    sk: keys.factSk(stored),
    expiresAt: Math.floor(now / 1000) + FACT_RETENTION_DAYS * 86_400,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
