import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Fact } from "../core/insights.ts";
import { FACT_SHARDS, keys, type LabelRecord, type MessageRecord, type MissRecord } from "./records.ts";
import { TABLE } from "./table.ts";

/** BatchGetItem takes at most 100 keys. */
const GET_LIMIT = 100;
/** A range wider than this is refused: a year of days is 1,464 queries already. */
export const MAX_RANGE_DAYS = 366;

/**
 * What insights read: the facts of a range of UTC days (FACT_SHARDS queries a day, paged), the
 * misses and labels of a range (one index query a day each), and user messages by key (for the
 * misses list, so its text is the transcript's and goes when the transcript goes).
 */
export class DynamoInsightsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async listFacts(from: string, to: string): Promise<Fact[]> {
    const days = daysBetween(from, to);
    const partitions = days.flatMap((day) =>
      Array.from({ length: FACT_SHARDS }, (_, shard) => keys.factPk(day, shard)),
    );
    const facts: Fact[] = [];
    // A few partitions at a time: a month is 120 queries, none of which waits for another.
    for (let start = 0; start < partitions.length; start += 8) {
      const pages = await Promise.all(partitions.slice(start, start + 8).map((pk) => this.queryAll(pk)));
      for (const items of pages) for (const item of items) facts.push(toFact(item));
    }
    return facts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** User messages by conversation and message id; missing or expired ones are left out. */
  async messages(refs: readonly { conversationId: string; messageId: string }[]): Promise<MessageRecord[]> {
    const wanted = new Map<string, { pk: string; sk: string }>();
    for (const ref of refs) {
      const [version, index] = ref.messageId.split(".").map(Number);
      if (!Number.isInteger(version) || !Number.isInteger(index)) continue;
      const key = { pk: keys.messagePk(ref.conversationId), sk: keys.messageSk(version ?? 0, index ?? 0) };
      wanted.set(`${key.pk}|${key.sk}`, key);
    }
    const all = [...wanted.values()];
    const found: MessageRecord[] = [];
    for (let start = 0; start < all.length; start += GET_LIMIT) {
      let pending: Record<string, unknown>[] = all.slice(start, start + GET_LIMIT);
      for (let attempt = 0; pending.length > 0 && attempt < 6; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const { pk: _pk, sk: _sk, ...message } = item;
          if (Number(message.expiresAt) * 1000 > this.now()) found.push(message as MessageRecord);
        }
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
      if (pending.length > 0) throw new Error(`${pending.length} message reads left unprocessed`);
    }
    return found;
  }

  /** One message by its id (`<version>.<index>`), or undefined when it is not there (or expired). */
  async message(conversationId: string, messageId: string): Promise<MessageRecord | undefined> {
    const [version, index] = messageId.split(".").map(Number);
    if (!Number.isInteger(version) || !Number.isInteger(index)) return undefined;
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: keys.messagePk(conversationId), sk: keys.messageSk(version ?? 0, index ?? 0) },
      }),
    );
    const item = result.Item;
    if (!item || Number(item.expiresAt) * 1000 <= this.now()) return undefined;
    const { pk: _pk, sk: _sk, ...message } = item;
    return message as MessageRecord;
  }

  async listMisses(from: string, to: string): Promise<MissRecord[]> {
    const misses: MissRecord[] = [];
    for (const day of daysBetween(from, to)) {
      for (const item of await this.queryAll(keys.dayIndexPk("MISS", day), TABLE.queueIndex)) {
        misses.push(withoutKeys(item) as unknown as MissRecord);
      }
    }
    return misses;
  }

  /** One label per message, in the message's partition: a later label replaces an earlier one. */
  async putLabel(label: LabelRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...label,
          ...keys.label(label.conversationId, label.messageId),
          ...keys.byDay("LABEL", label.at, label.conversationId, label.messageId),
        },
      }),
    );
  }

  async listLabels(from: string, to: string): Promise<LabelRecord[]> {
    const labels: LabelRecord[] = [];
    for (const day of daysBetween(from, to)) {
      for (const item of await this.queryAll(keys.dayIndexPk("LABEL", day), TABLE.queueIndex)) {
        labels.push(withoutKeys(item) as unknown as LabelRecord);
      }
    }
    return labels;
  }

  /** Every live item of a partition, of the table or (with `index`) of the sparse index. */
  private async queryAll(pk: string, index?: string): Promise<Record<string, unknown>[]> {
    const key = index ? TABLE.queuePartitionKey : TABLE.partitionKey;
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(index ? { IndexName: index } : {}),
          KeyConditionExpression: "#key = :pk",
          ExpressionAttributeNames: { "#key": key },
          ExpressionAttributeValues: { ":pk": pk },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (Number(item.expiresAt) * 1000 > this.now()) items.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function toFact(item: Record<string, unknown>): Fact {
  const { expiresAt: _e, ...fact } = withoutKeys(item);
  return fact as unknown as Fact;
}

function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, queuePk: _qpk, queueSk: _qsk, ...rest } = item;
  return rest;
}

/** The UTC days from `from` to `to` inclusive (YYYY-MM-DD); a range over MAX_RANGE_DAYS throws. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
    if (days.length > MAX_RANGE_DAYS) throw new RangeError(`a range of more than ${MAX_RANGE_DAYS} days`);
  }
  return days;
}
