import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConflictError } from "../../../src/errors.ts";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../../src/local/embedded-dynamo.ts";
import { AgentStore } from "../../../src/store/agent-store.ts";
import { createDocumentClient } from "../../../src/store/client.ts";
import { ensureTable } from "../../../src/store/ensure-table.ts";
import type { AgentRecord, AuditRecord } from "../../../src/store/records.ts";

const DAY_MS = 86_400_000;

function agent(id: string, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id,
    name: `Agent ${id}`,
    role: "agent",
    tokenHash: "a".repeat(64),
    createdAt: "2026-11-20T08:00:00.000Z",
    ...overrides,
  };
}

let dynamo: EmbeddedDynamo;
let client: ReturnType<typeof createDocumentClient>;
let tables = 0;
let tableName: string;
let store: AgentStore;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  client = createDocumentClient({ endpoint: dynamo.endpoint });
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

beforeEach(async () => {
  tableName = `agent-store-${++tables}`;
  await ensureTable(client, tableName);
  store = new AgentStore(client, tableName);
});

describe("agents", () => {
  it("creates an agent once: a second create of the same id is a ConflictError and changes nothing", async () => {
    // Prepare
    await store.putAgent(agent("ag_1", { name: "Mei" }), true);

    // Act
    const second = store.putAgent(agent("ag_1", { name: "Impostor", role: "admin" }), true);

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toThrow("agent ag_1 exists");
    expect(await store.getAgent("ag_1")).toMatchObject({ name: "Mei", role: "agent" });
  });

  it("overwrites an existing agent when the write need not be new (e.g. a revocation)", async () => {
    // Prepare
    const mei = agent("ag_2");
    await store.putAgent(mei, true);

    // Act
    await store.putAgent({ ...mei, revokedAt: "2026-11-21T10:00:00.000Z" }, false);

    // Assess
    expect(await store.getAgent("ag_2")).toEqual({ ...mei, revokedAt: "2026-11-21T10:00:00.000Z" });
  });

  it("reads an agent back as written, without storage keys, and nothing for an unknown id", async () => {
    // Prepare
    const admin = agent("ag_3", { role: "admin" });
    await store.putAgent(admin, true);

    // Act
    const found = await store.getAgent("ag_3");

    // Assess
    expect(found).toEqual(admin);
    expect(await store.getAgent("ag_404")).toBeUndefined();
  });
});

describe("Telegram agent links", () => {
  it("finds the linked agent by Telegram user id, following a relink", async () => {
    // Prepare
    await store.putAgent(agent("ag_a"), true);
    await store.putAgent(agent("ag_b"), true);
    await store.linkTelegram("ag_a", 111);

    // Act
    const before = await store.agentForTelegramUser(111);
    await store.linkTelegram("ag_b", 111);
    const after = await store.agentForTelegramUser(111);

    // Assess
    expect(before?.id).toBe("ag_a");
    expect(after).toEqual(agent("ag_b"));
  });

  it("finds nothing for an unlinked user, or a link to an agent that does not exist", async () => {
    // Prepare
    await store.linkTelegram("ag_gone", 222);

    // Act + Assess
    expect(await store.agentForTelegramUser(333)).toBeUndefined();
    expect(await store.agentForTelegramUser(222)).toBeUndefined();
  });
});

describe("agents' group topics", () => {
  it("maps a conversation to its topic and back", async () => {
    // Act
    await store.saveTopic("conv.1", 501);

    // Assess
    expect(await store.topicOf("conv.1")).toBe(501);
    expect(await store.conversationOfTopic(501)).toBe("conv.1");
    expect(await store.topicOf("conv.2")).toBeUndefined();
    expect(await store.conversationOfTopic(502)).toBeUndefined();
  });

  it("keeps the first mapping: later saves for the same conversation or topic change neither", async () => {
    // Prepare
    await store.saveTopic("conv.1", 501);

    // Act
    await store.saveTopic("conv.1", 601);
    await store.saveTopic("conv.9", 501);

    // Assess
    expect(await store.topicOf("conv.1")).toBe(501);
    expect(await store.conversationOfTopic(501)).toBe("conv.1");
  });
});

describe("audit log", () => {
  const now = new Date("2026-11-22T12:00:00.000Z");
  const entry = (at: string, action: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
    at,
    actor: "ag_1",
    action,
    ...extra,
  });

  it("lists entries newest first, across days, as written", async () => {
    // Prepare
    const entries = [
      entry("2026-11-20T23:59:59.000Z", "claim", { conversationId: "c.1" }),
      entry("2026-11-22T08:00:00.000Z", "reply", { conversationId: "c.1", detail: "3 lines" }),
      entry("2026-11-21T00:00:00.000Z", "note"),
      entry("2026-11-22T11:59:00.000Z", "resolve", { actor: "system" }),
    ];
    for (const e of entries) await store.audit(e);

    // Act
    const listed = await store.listAudit(now);

    // Assess
    expect(listed).toEqual([entries[3], entries[1], entries[2], entries[0]]);
  });

  it("keeps two entries written at the same instant", async () => {
    // Prepare
    const same = "2026-11-22T09:00:00.000Z";

    // Act
    await store.audit(entry(same, "claim"));
    await store.audit(entry(same, "claim"));

    // Assess
    expect(await store.listAudit(now)).toEqual([entry(same, "claim"), entry(same, "claim")]);
  });

  it("looks back only the given number of days, and returns at most `limit` entries", async () => {
    // Prepare
    for (let d = 0; d < 5; d++) {
      const day = new Date(now.getTime() - d * DAY_MS).toISOString().slice(0, 10);
      await store.audit(entry(`${day}T06:00:00.000Z`, `day-${d}-a`));
      await store.audit(entry(`${day}T07:00:00.000Z`, `day-${d}-b`));
    }

    // Act
    const twoDays = await store.listAudit(now, 2);
    const three = await store.listAudit(now, 7, 3);

    // Assess
    expect(twoDays.map((e) => e.action)).toEqual(["day-0-b", "day-0-a", "day-1-b", "day-1-a"]);
    expect(three.map((e) => e.action)).toEqual(["day-0-b", "day-0-a", "day-1-b"]);
  });

  it("stores each entry under its day with an expiry `auditRetentionDays` after it", async () => {
    // Prepare
    const shortLived = new AgentStore(client, tableName, 30);
    const at = "2026-11-22T10:00:00.000Z";

    // Act
    await shortLived.audit(entry(at, "revoke"));

    // Assess
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "AUDIT#2026-11-22" },
      }),
    );
    expect(result.Items).toHaveLength(1);
    expect(result.Items?.[0]?.sk).toMatch(/^2026-11-22T10:00:00\.000Z#[A-Za-z0-9_-]{8}$/);
    expect(result.Items?.[0]?.expiresAt).toBe(Date.parse(at) / 1000 + 30 * 86_400);
  });
});
