import { describe, expect, it } from "vitest";
import { ChannelApiError } from "../../../src/errors.ts";
import { deliveryVia } from "../../../src/handoff/delivery.ts";
import type { ConversationRecord } from "../../../src/store/records.ts";

const head = (channel: string) =>
  ({ channel, userKey: `${channel}:42`, conversationId: "x.1", language: "en" }) as ConversationRecord;

describe("deliveryVia", () => {
  it("hands the message to the adapter of the conversation's channel, and to no other", async () => {
    // Prepare
    const sent: string[] = [];
    const deliver = deliveryVia((name) =>
      name === "telegram" || name === "meta"
        ? { deliver: async (to, text, from) => void sent.push(`${name} ${to.userKey} ${from}: ${text}`) }
        : undefined,
    );

    // Act
    await deliver(head("meta"), "hello", "agent");

    // Assess
    expect(sent).toEqual(["meta meta:42 agent: hello"]);
  });

  it("refuses a channel this function does not wire, saying which", async () => {
    const deliver = deliveryVia(() => undefined);
    const failure = deliver(head("discord"), "hello", "bot");
    await expect(failure).rejects.toBeInstanceOf(ChannelApiError);
    await expect(failure).rejects.toThrow("the discord channel is not enabled");
  });
});
