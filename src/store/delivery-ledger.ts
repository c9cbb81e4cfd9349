import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./records.ts";

/** A mark outlives any retry of the delivery it counts (Discord's interaction tokens last 15 minutes). */
const MARK_TTL_SECONDS = 24 * 60 * 60;

/**
 * How many parts of a multi-part answer reached the platform, one small item per delivery. Written
 * after each part is accepted, so a retried delivery skips what already arrived; a part is posted
 * twice only when the process dies between the platform's answer and this write. It is the
 * channels' `DeliveryLedger` (the store knows no channel, so the match is structural).
 */
export class DynamoDeliveryLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async delivered(key: string): Promise<number> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.delivery(key), ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item || Number(item.expiresAt) * 1000 <= this.now()) return 0;
    return typeof item.parts === "number" ? item.parts : 0;
  }

  async recordDelivered(key: string, parts: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.delivery(key),
            parts,
            expiresAt: Math.floor(this.now() / 1000) + MARK_TTL_SECONDS,
          },
          // Never count down: a slower, older attempt must not undo a newer one's progress.
          ConditionExpression: "attribute_not_exists(pk) OR parts < :parts",
          ExpressionAttributeValues: { ":parts": parts },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
