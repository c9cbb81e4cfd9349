import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import { TooManyRequestsError } from "../../../src/errors.ts";
import { type BotDependencies, handleInbound } from "../../../src/handoff/inbound.ts";
import type { DynamoConversationStore } from "../../../src/store/conversation-store.ts";
import { conversationIdFor } from "../../../src/store/records.ts";
import { useEmbeddedStore } from "../../support/embedded-store.ts";
import { captureLogs } from "../../support/log-capture.ts";

const TABLE = "guardline-inbound";
const embedded = useEmbeddedStore(TABLE);
let store: DynamoConversationStore;
beforeAll(() => {
  store = embedded.store();
});
const brain = loadBrain();

describe("the per-user rate limit", () => {
  it("refuses a user's messages past the limit in a minute with the seconds to wait, storing nothing, and lets the next minute through", async () => {
    // Prepare: a clock the test moves (42 s into the current minute: stored items must not have
    // expired by the real clock, which the store's reads go by), a limit of three a minute
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    let now = new Date(minute + 42_000);
    const deps: BotDependencies = { store, brain, retentionDays: 1, messagesPerMinute: 3, now: () => now };
    const userKey = "web:rate-limit-session-000000001";
    const say = (text: string) =>
      handleInbound(deps, { channel: "web", userKey, content: { type: "text", text } });
    const stored = async () =>
      (await store.listMessages(conversationIdFor(userKey, 1), undefined, 100)).length;

    // Act + Assess: three answered, the fourth refused
    for (const text of ["你好", "手续费怎么算", "提现要多久"])
      expect((await say(text)).replies.length).toBeGreaterThan(0);
    const before = await stored();
    const refused = await say("还在吗").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(18);
    expect(await stored()).toBe(before);

    // Act + Assess: a minute later the user is answered again
    now = new Date(minute + 61_000);
    expect((await say("还在吗")).replies.length).toBeGreaterThan(0);
    expect(await stored()).toBeGreaterThan(before);
  });
});

describe("the insight counters", () => {
  it("publishes one EMF line per stored turn, none for a redelivery, with no text in it", async () => {
    // Prepare: a fresh log module with metrics on, as in Lambda
    vi.resetModules();
    process.env.POWERTOOLS_METRICS_DISABLED = "false";
    const { handleInbound: handle } = await import("../../../src/handoff/inbound.ts");
    const deps: BotDependencies = { store, brain, retentionDays: 1 };
    const phrase =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const message = {
      channel: "web" as const,
      userKey: "web:metrics-session-000000000001",
      eventId: "metrics-event-1",
      content: { type: "text" as const, text: `my phrase ${phrase}` },
    };
    const logs = captureLogs();
    try {
      // Act: the turn, then its redelivery
      await handle(deps, message);
      await handle(deps, message);
    } finally {
      logs.stop();
      process.env.POWERTOOLS_METRICS_DISABLED = "true";
      vi.resetModules();
    }

    // Assess
    const blobs = logs.metrics().filter((b) => b.route === "bot turns");
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatchObject({
      UserMessages: 1,
      Conversations: 1,
      Handoffs: 1,
      SecretsRedacted: 1,
      HelpfulFeedback: 0,
      ScamReports: 0,
    });
    expect(logs.raw.join("\n")).not.toContain("abandon");
    expect(logs.raw.join("\n")).not.toContain("metrics-session");
  });
});
