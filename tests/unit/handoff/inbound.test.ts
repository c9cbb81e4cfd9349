import { beforeAll, describe, expect, it } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import { TooManyRequestsError } from "../../../src/errors.ts";
import { type BotDependencies, handleInbound } from "../../../src/handoff/inbound.ts";
import type { DynamoConversationStore } from "../../../src/store/conversation-store.ts";
import { conversationIdFor } from "../../../src/store/records.ts";
import { useEmbeddedStore } from "../../support/embedded-store.ts";

const TABLE = "guardline-inbound";
const embedded = useEmbeddedStore(TABLE);
let store: DynamoConversationStore;
beforeAll(() => {
  store = embedded.store();
});
const brain = loadBrain();

describe("the per-user rate limit", () => {
  it("refuses a user's messages past the limit in a minute with the seconds to wait, storing nothing, and lets the next minute through", async () => {
    // Prepare: a clock the test moves, a limit of three a minute
    let now = new Date("2026-12-03T10:15:42Z");
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
    now = new Date("2026-12-03T10:16:01Z");
    expect((await say("还在吗")).replies.length).toBeGreaterThan(0);
    expect(await stored()).toBeGreaterThan(before);
  });
});
