import { beforeAll, describe, expect, it } from "vitest";
import { userHistory } from "../../../src/handoff/history.ts";
import type { DynamoConversationStore } from "../../../src/store/conversation-store.ts";
import {
  type ConversationRecord,
  conversationIdFor,
  type MessageAuthor,
  type MessageRecord,
} from "../../../src/store/records.ts";
import { useEmbeddedStore } from "../../support/embedded-store.ts";

const TABLE = "guardline-history";
const embedded = useEmbeddedStore(TABLE);
let store: DynamoConversationStore;
beforeAll(() => {
  store = embedded.store();
});

const expiresAt = Math.floor(Date.now() / 1000) + 3600;

/** A conversation of `seq` with one message per author, written as the bot path writes them. */
async function conversation(userKey: string, seq: number, authors: MessageAuthor[], status = "bot") {
  const conversationId = conversationIdFor(userKey, seq);
  const messages: MessageRecord[] = authors.map((from, i) => ({
    conversationId,
    id: `${i + 1}.0`,
    version: i + 1,
    index: 0,
    from,
    text: `${from} ${i + 1}`,
    at: new Date(Date.now() + i).toISOString(),
    expiresAt,
  }));
  const stored = await store.loadHead(userKey);
  const head = {
    conversationId,
    seq,
    channel: "web",
    userKey,
    status,
    language: "en",
    dialogue: {},
    version: (stored.stored?.version ?? 0) + 1,
    recentEvents: [],
    lastMessages: [],
    createdAt: messages[0]?.at ?? "",
    updatedAt: messages.at(-1)?.at ?? "",
    expiresAt,
  } as unknown as ConversationRecord;
  await store.saveHead(head, stored.stored?.version ?? 0);
  await store.putMessages(messages);
}

describe("userHistory", () => {
  it("is empty, with no cursor, for a user who never wrote", async () => {
    expect(await userHistory(store, "web:history-nobody-00000001", undefined, 100)).toEqual({
      messages: [],
      cursor: null,
    });
  });

  it("pages after the cursor and leaves agents' notes out while the cursor moves past them", async () => {
    // Prepare
    const userKey = "web:history-paging-00000001";
    await conversation(userKey, 1, ["user", "bot", "note", "agent", "note"]);

    // Act
    const first = await userHistory(store, userKey, undefined, 2);
    const second = await userHistory(store, userKey, first.cursor ?? undefined, 2);
    const third = await userHistory(store, userKey, second.cursor ?? undefined, 2);
    const none = await userHistory(store, userKey, third.cursor ?? undefined, 2);

    // Assess
    expect(first.messages.map((m) => m.from)).toEqual(["user", "bot"]);
    expect(second.messages.map((m) => m.from)).toEqual(["agent"]);
    expect(second.cursor).toBe("1-4.0");
    expect(third).toEqual({ messages: [], cursor: "1-5.0" });
    expect(none).toEqual({ messages: [], cursor: "1-5.0" });
  });

  it("starts a cursor from a closed conversation over at the beginning of the current one", async () => {
    // Prepare
    const userKey = "web:history-restart-0000001";
    await conversation(userKey, 1, ["user", "bot"], "closed");
    const old = await userHistory(store, userKey, undefined, 100);
    await conversation(userKey, 2, ["user", "bot", "bot"]);

    // Act
    const current = await userHistory(store, userKey, old.cursor ?? undefined, 100);

    // Assess
    expect(old.cursor).toBe("1-2.0");
    expect(current.messages.map((m) => m.text)).toEqual(["user 1", "bot 2", "bot 3"]);
    expect(current.cursor).toBe("2-3.0");
  });
});
