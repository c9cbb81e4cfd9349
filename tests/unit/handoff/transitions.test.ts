import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError } from "../../../src/errors.ts";
import { agentWrites, claim, handBack, resolve, returnToBot } from "../../../src/handoff/transitions.ts";
import type { ConversationRecord } from "../../../src/store/records.ts";

const at = "2026-11-22T10:00:00.000Z";
const alice = { id: "alice0000000", role: "agent" as const };
const bob = { id: "bob000000000", role: "agent" as const };
const root = { id: "root00000000", role: "admin" as const };

function head(
  status: ConversationRecord["status"],
  extra: Partial<ConversationRecord> = {},
): ConversationRecord {
  return {
    conversationId: "AAAAAAAAAAAAAAAAAAAAAA.1",
    seq: 1,
    channel: "web",
    userKey: "web:session",
    status,
    language: "en",
    dialogue: { locale: "en", misses: 2 },
    version: 5,
    recentEvents: [],
    lastMessages: [],
    createdAt: at,
    updatedAt: at,
    expiresAt: 0,
    ...extra,
  };
}

describe("ownership transitions", () => {
  it("claims a waiting conversation for one agent, with the next version", () => {
    const claimed = claim(
      head("waiting", { priority: "urgent", waitingSince: at, escalatedAt: at }),
      alice,
      at,
    );
    expect(claimed).toMatchObject({ status: "agent", claimedBy: alice.id, version: 6, priority: "urgent" });
    expect(claimed.escalatedAt).toBeUndefined();
  });

  it.each(["bot", "agent", "closed"] as const)("refuses to claim a conversation that is %s", (status) => {
    expect(() => claim(head(status, { claimedBy: bob.id }), alice, at)).toThrow(ConflictError);
  });

  it("lets only the holder (or an admin) write, hand back or resolve", () => {
    const held = head("agent", { claimedBy: alice.id });
    expect(() => handBack(held, bob, at)).toThrow(ForbiddenError);
    expect(() => agentWrites(held, bob, "agent", "hi", at, 0)).toThrow(ForbiddenError);
    expect(handBack(held, root, at).status).toBe("bot");
    expect(resolve(held, alice, at).status).toBe("closed");
    expect(() => resolve(head("closed"), alice, at)).toThrow(ConflictError);
  });

  it("hands back to the bot with no agent, no queue and a fresh miss count", () => {
    const back = returnToBot(
      head("agent", { claimedBy: alice.id, claimedAt: at, priority: "urgent", waitingSince: at }),
      at,
    );
    expect(back).toMatchObject({ status: "bot", version: 6, dialogue: { misses: 0 } });
    for (const gone of ["claimedBy", "claimedAt", "priority", "waitingSince"])
      expect(back).not.toHaveProperty(gone);
  });

  it("allows notes while waiting but replies only once claimed", () => {
    const waiting = head("waiting");
    expect(agentWrites(waiting, alice, "note", "checked", at, 0).message).toMatchObject({
      from: "note",
      id: "6.0",
    });
    expect(() => agentWrites(waiting, alice, "agent", "hi", at, 0)).toThrow(ConflictError);
    const reply = agentWrites(head("agent", { claimedBy: alice.id }), alice, "agent", "hi", at, 0);
    expect(reply.head).toMatchObject({ version: 6, agentActivityAt: at });
    expect(reply.message).toMatchObject({ from: "agent", agentId: alice.id, version: 6 });
  });
});
