import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DiscordChannel, type DiscordTo } from "../../src/channels/discord/discord.channel.ts";
import type { DiscordInteraction } from "../../src/channels/discord/discord.schemas.ts";
import type { DeliveryLedger } from "../../src/channels/types.ts";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";
import { configureLog } from "../../src/log.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { DynamoDeliveryLedger } from "../../src/store/delivery-ledger.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";
import { FakeDiscord } from "../support/fake-discord.ts";
import { captureLogs } from "../support/log-capture.ts";

const TABLE = "guardline-follow-up";
const APP = "1234567890123456789";
const WEBHOOK = /^\/webhooks\/\d+\/[^/]+$/;
const fake = new FakeDiscord();
let dynamo: EmbeddedDynamo;
let client: ReturnType<typeof createDocumentClient>;
let apiRoot: string;
let nextId = 1_400_000_000_000_000_000n;

beforeAll(async () => {
  configureLog({ level: "error" });
  apiRoot = await fake.start();
  dynamo = await startEmbeddedDynamo();
  client = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TABLE);
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
  await fake.stop();
});

beforeEach(() => fake.clear());

function channel(ledger?: DeliveryLedger): DiscordChannel {
  return new DiscordChannel({
    applicationId: APP,
    publicKey: "00".repeat(32),
    botToken: "fake-bot-token",
    apiRoot,
    deferAfterMs: 0,
    ...(ledger ? { ledger } : {}),
  });
}

function addressed(): DiscordTo {
  const id = String(nextId++);
  const interaction = { id, token: `token-${id}`, application_id: APP, type: 2 } as DiscordInteraction;
  return { interaction, userId: "555666777888", ephemeral: true };
}

/** An answer longer than one Discord message: the edit of "thinking…" and three more messages. */
const PARTS = ["part one", "part two", "part three", "part four"].map((content) => ({ content }));

/** The contents Discord accepted as new follow-up messages, in order (failed calls left out). */
function accepted(): string[] {
  const posts = fake.calls.filter((c) => c.method === "POST" && WEBHOOK.test(c.path));
  return posts.map((c) => (c.body as { content: string }).content);
}

const edits = () => fake.calls.filter((c) => c.method === "PATCH").length;

/** Runs the follow-up as Lambda does: once, and again when it throws. */
async function withOneRetry(discord: DiscordChannel, to: DiscordTo): Promise<unknown> {
  const failure = await discord.followUp(to, PARTS).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failure) await discord.followUp(to, PARTS);
  return failure;
}

describe("the Discord follow-up, retried after a failed part", () => {
  it("posts every extra part exactly once: the retry edits again and skips what the ledger counts", async () => {
    // Prepare: the second extra message fails past the REST client's own two retries
    const discord = channel(new DynamoDeliveryLedger(client, TABLE));
    const to = addressed();
    fake.failNext("POST", WEBHOOK, 3, 1);

    // Act
    const failure = await withOneRetry(discord, to);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect(edits()).toBe(2);
    const delivered = fake.calls.filter((c) => c.method === "POST" && c.path.endsWith(to.interaction.token));
    expect(delivered.length).toBe(1 + 3 + 2);
    const contents = delivered.map((c) => (c.body as { content: string }).content);
    expect(contents.filter((c) => c === "part two")).toHaveLength(1);
    expect(contents.filter((c) => c === "part four")).toHaveLength(1);
    expect(contents.at(-2)).toBe("part three");
  });

  it("without a ledger, the same retry repeats the part that had arrived (what the ledger prevents)", async () => {
    const discord = channel();
    fake.failNext("POST", WEBHOOK, 3, 1);

    await withOneRetry(discord, addressed());

    expect(accepted().filter((c) => c === "part two")).toHaveLength(2);
  });

  it("costs no store request when the answer is one message", async () => {
    const before = (await client.send(new ScanCommand({ TableName: TABLE }))).Count ?? 0;
    const discord = channel(new DynamoDeliveryLedger(client, TABLE));

    await discord.followUp(addressed(), PARTS.slice(0, 1));

    expect(edits()).toBe(1);
    expect((await client.send(new ScanCommand({ TableName: TABLE }))).Count).toBe(before);
  });

  it("still posts every part when a count cannot be written, and logs why", async () => {
    // Prepare: reads from the real table; writes to one that does not exist
    const readable = new DynamoDeliveryLedger(client, TABLE);
    const unwritable = new DynamoDeliveryLedger(client, "guardline-missing");
    const discord = channel({
      delivered: (key) => readable.delivered(key),
      recordDelivered: (key, parts) => unwritable.recordDelivered(key, parts),
    });
    configureLog({ level: "warn" });
    const logs = captureLogs();

    // Act
    try {
      await discord.followUp(addressed(), PARTS);
    } finally {
      logs.stop();
      configureLog({ level: "error" });
    }

    // Assess
    expect(accepted()).toEqual(["part two", "part three", "part four"]);
    const warnings = logs.entries().filter((e) => e.message === "discord follow-up count not recorded");
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatchObject({ level: "WARN", errorName: "ResourceNotFoundException" });
  });

  it("posts nothing more when the count cannot be read, so Lambda's retry starts from a known count", async () => {
    const discord = channel(new DynamoDeliveryLedger(client, "guardline-missing"));

    const failed = await discord.followUp(addressed(), PARTS).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect((failed as Error).name).toBe("ResourceNotFoundException");
    expect(edits()).toBe(1);
    expect(accepted()).toEqual([]);
  });
});
