/**
 * The single DynamoDB table and its key design. serverless.yml declares the same table (a test
 * compares the two); the local runtime creates it from this definition.
 *
 * | item                 | pk                      | sk                     | notes                                   |
 * |----------------------|-------------------------|------------------------|-----------------------------------------|
 * | conversation head    | `USER#<userHash>`       | `CONV`                 | the user's current conversation: state, |
 * |                      |                         |                        | version, status, recent event ids       |
 * | message              | `CONV#<conversationId>` | `MSG#<version>#<n>`    | one item per message, in order          |
 * | resolved, archived   | `CONV#<conversationId>` | `ARCHIVE`              | the head as it was resolved             |
 * | agent                | `AGENT#<agentId>`       | `PROFILE`              | name, role, token hash                  |
 * | audit entry          | `AUDIT#<yyyy-mm-dd>`    | `<at>#<random>`        | written once, never updated             |
 * | Telegram agent link  | `TGAGENT#<userId>`      | `MAP`                  | agent id                                |
 * | agents' group topic  | `TOPIC#<threadId>` and `CONVTOPIC#<conversationId>` | `MAP` | both directions         |
 * | delivery mark        | `DELIVERY#<platform>:<id>` | `PARTS`             | parts of a multi-part answer delivered; |
 * |                      |                         |                        | a day's TTL (see delivery-ledger.ts)    |
 * | insight fact         | `FACT#<day>#<shard>`    | `<at>#<subject>#<v>`   | no text, no conversation id (400 days)  |
 * | miss                 | `CONV#<conversationId>` | `MISS#<messageId>`     | expires and is forgotten with the       |
 * | label                | `CONV#<conversationId>` | `LABEL#<messageId>`    | message it refers to                    |
 *
 * `userHash` is a SHA-256 of the channel's user key (`web:<sessionId>`, `telegram:<chatId>`…), so
 * conversation ids never show a platform identifier. A conversation id is `<userHash>.<seq>`: the
 * head is found from it without an index, and a closed conversation's successor gets `seq + 1`.
 * Message sort keys are the head version that wrote them (zero-padded), so they sort in order and a
 * retried write lands on the same keys.
 *
 * The sparse `queue` index holds only heads that wait for an agent (`queuePk = "WAITING"`, sorted
 * by `queueSk = <priority rank>#<waiting since>#<conversationId>`: urgent first, then oldest) or
 * that an agent holds (`queuePk = "HELD"`, by claim time), and lists misses and labels by day
 * (`queuePk = "MISS#<day>"` or `"LABEL#<day>"`).
 * `expiresAt` (epoch seconds) is the TTL attribute on every item; reads ignore expired items because
 * DynamoDB may keep them for up to two days.
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  queueIndex: "queue",
  queuePartitionKey: "queuePk",
  queueSortKey: "queueSk",
  ttlAttribute: "expiresAt",
} as const;

/** The CreateTable input shared by the local runtime, the tests and (by comparison) serverless.yml. */
export function tableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: "S" as const },
      { AttributeName: TABLE.sortKey, AttributeType: "S" as const },
      { AttributeName: TABLE.queuePartitionKey, AttributeType: "S" as const },
      { AttributeName: TABLE.queueSortKey, AttributeType: "S" as const },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: "HASH" as const },
      { AttributeName: TABLE.sortKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE.queueIndex,
        KeySchema: [
          { AttributeName: TABLE.queuePartitionKey, KeyType: "HASH" as const },
          { AttributeName: TABLE.queueSortKey, KeyType: "RANGE" as const },
        ],
        Projection: { ProjectionType: "ALL" as const },
      },
    ],
  };
}
