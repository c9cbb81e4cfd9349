import { randomBytes } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ConflictError } from "../errors.ts";
import { type AgentRecord, type AuditRecord, keys } from "./records.ts";

/** Agents and the audit log, in the same table as conversations (keys in src/store/table.ts). */
export class AgentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditRetentionDays = 400,
  ) {}

  async putAgent(agent: AgentRecord, mustBeNew: boolean): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...agent, ...keys.agent(agent.id) },
          ...(mustBeNew ? { ConditionExpression: "attribute_not_exists(pk)" } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`agent ${agent.id} exists`);
      throw error;
    }
  }

  async getAgent(id: string): Promise<AgentRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.agent(id), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ...agent } = result.Item;
    return agent as AgentRecord;
  }

  /** Links an agent to their Telegram account, for acting from the agents' group. */
  async linkTelegram(agentId: string, telegramUserId: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `TGAGENT#${telegramUserId}`, sk: "MAP", agentId },
      }),
    );
  }

  async agentForTelegramUser(telegramUserId: number): Promise<AgentRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TGAGENT#${telegramUserId}`, sk: "MAP" } }),
    );
    const agentId = result.Item?.agentId;
    return typeof agentId === "string" ? this.getAgent(agentId) : undefined;
  }

  /** A conversation's topic in the agents' group, both ways; written once (later writes change nothing). */
  async saveTopic(conversationId: string, threadId: number): Promise<void> {
    for (const Item of [
      { pk: `TOPIC#${threadId}`, sk: "MAP", conversationId },
      { pk: `CONVTOPIC#${conversationId}`, sk: "MAP", threadId },
    ]) {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item,
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  async topicOf(conversationId: string): Promise<number | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `CONVTOPIC#${conversationId}`, sk: "MAP" } }),
    );
    return typeof result.Item?.threadId === "number" ? result.Item.threadId : undefined;
  }

  async conversationOfTopic(threadId: number): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `TOPIC#${threadId}`, sk: "MAP" } }),
    );
    return typeof result.Item?.conversationId === "string" ? result.Item.conversationId : undefined;
  }

  /**
   * Appends to the audit log: one item per entry, written only if new, and no code path updates or
   * deletes one, so agents cannot edit it. Kept for `auditRetentionDays`.
   */
  async audit(entry: AuditRecord): Promise<void> {
    const sk = `${entry.at}#${randomBytes(6).toString("base64url")}`;
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + this.auditRetentionDays * 86_400;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...entry, pk: keys.auditPk(entry.at.slice(0, 10)), sk, expiresAt },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  /** The newest entries first, day by day back from `now`, at most `limit`. */
  async listAudit(now: Date, days = 7, limit = 200): Promise<AuditRecord[]> {
    const entries: AuditRecord[] = [];
    for (let d = 0; d < days && entries.length < limit; d++) {
      const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": keys.auditPk(day) },
          ScanIndexForward: false,
          Limit: limit - entries.length,
        }),
      );
      for (const item of result.Items ?? []) {
        const { pk: _pk, sk: _sk, expiresAt: _e, ...entry } = item;
        entries.push(entry as AuditRecord);
      }
    }
    return entries;
  }
}
