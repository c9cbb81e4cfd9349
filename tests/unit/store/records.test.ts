import { describe, expect, it } from "vitest";
import { conversationIdFor, keys, parseConversationId, userHash } from "../../../src/store/records.ts";

describe("userHash", () => {
  it("is 22 base64url characters", () => {
    for (const key of ["web:session-1", "telegram:123456789", "discord:user:42", ""]) {
      expect(userHash(key)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it("is stable across calls and releases: stored conversation ids depend on it", () => {
    expect(userHash("telegram:123456789")).toBe(userHash("telegram:123456789"));
    // Pinned: a change here would orphan every stored conversation.
    expect(userHash("telegram:123456789")).toBe("h7Nfk7zUnHQ7QeFfgVcmng");
  });

  it("differs per user key, also between channels with the same platform id", () => {
    // Prepare
    const userKeys = ["telegram:42", "discord:42", "web:42", "telegram:43", "telegram:42 "];

    // Act
    const hashes = new Set(userKeys.map(userHash));

    // Assess
    expect(hashes.size).toBe(userKeys.length);
  });
});

describe("conversation ids", () => {
  it("round-trips the user hash and sequence", () => {
    for (const seq of [1, 2, 10, 999_999_999]) {
      // Act
      const id = conversationIdFor("web:abc", seq);

      // Assess
      expect(id).toBe(`${userHash("web:abc")}.${seq}`);
      expect(parseConversationId(id)).toEqual({ userHash: userHash("web:abc"), seq });
    }
  });

  it("rejects malformed ids", () => {
    // Prepare
    const hash = userHash("web:abc");
    const malformed = [
      "",
      hash,
      `${hash}.`,
      `${hash}.0`,
      `${hash}.01`,
      `${hash}.-1`,
      `${hash}.1.5`,
      `${hash}.1x`,
      `${hash}.1000000000`,
      `${hash}.1\n`,
      ` ${hash}.1`,
      `${hash.slice(1)}.1`,
      `${hash}A.1`,
      `${hash.slice(0, 21)}+.1`,
      `${hash.slice(0, 21)}/.1`,
      `${hash.slice(0, 21)}=.1`,
      "not-a-conversation-id",
    ];

    // Act
    const parsed = malformed.map((id) => [id, parseConversationId(id)]);

    // Assess
    expect(parsed).toEqual(malformed.map((id) => [id, undefined]));
  });
});

describe("keys", () => {
  it("builds the documented partition and sort keys", () => {
    expect(keys.head("HASH")).toEqual({ pk: "USER#HASH", sk: "CONV" });
    expect(keys.agent("ag_1")).toEqual({ pk: "AGENT#ag_1", sk: "PROFILE" });
    expect(keys.archive("HASH.2")).toEqual({ pk: "CONV#HASH.2", sk: "ARCHIVE" });
    expect(keys.auditPk("2026-11-22")).toBe("AUDIT#2026-11-22");
    expect(keys.messagePk("HASH.2")).toBe("CONV#HASH.2");
  });

  it("zero-pads message sort keys: version to 10 digits, index to 2", () => {
    expect(keys.messageSk(1, 0)).toBe("MSG#0000000001#00");
    expect(keys.messageSk(1234, 7)).toBe("MSG#0000001234#07");
    expect(keys.messageSk(9_999_999_999, 99)).toBe("MSG#9999999999#99");
  });

  it("sorts message keys as strings in version, then index order", () => {
    // Prepare
    const ordered: [number, number][] = [
      [1, 0],
      [1, 1],
      [1, 9],
      [1, 10],
      [2, 0],
      [9, 3],
      [10, 0],
      [99, 99],
      [100, 0],
      [1_000_000, 5],
    ];
    const sortKeys = ordered.map(([version, index]) => keys.messageSk(version, index));

    // Act
    const sorted = [...sortKeys].reverse().sort();

    // Assess
    expect(sorted).toEqual(sortKeys);
  });
});
