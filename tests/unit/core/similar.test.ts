import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTENT_DIR, loadContent } from "../../../src/content-loader.ts";
import { groupSimilar, intentBackground, type SimilarGroup } from "../../../src/core/similar.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "misses");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
const withdrawals: string[] = fixture("withdraw-paraphrases.json").texts;
const labelled: { topic: string; text: string }[] = fixture("labelled-misses.json").messages;
const { examples } = loadContent(CONTENT_DIR);
const background = intentBackground(
  [...new Set(examples.map((e) => e.label))].map((id) => ({
    utterances: examples.filter((e) => e.label === id).map((e) => e.text),
  })),
);

/** The share of messages that sit in a group with their own topic's majority (1 = no group mixes topics). */
function purity(groups: SimilarGroup<{ topic: string }>[]): number {
  let majority = 0;
  let all = 0;
  for (const group of groups) {
    const counts = new Map<string, number>();
    for (const { topic } of group.items) counts.set(topic, (counts.get(topic) ?? 0) + 1);
    majority += Math.max(...counts.values());
    all += group.items.length;
  }
  return majority / all;
}

/** For each topic, the share of its messages in its biggest group (1 = every topic in one group). */
function completeness(groups: SimilarGroup<{ topic: string }>[], all: { topic: string }[]): number {
  const topics = [...new Set(all.map((m) => m.topic))];
  const kept = topics.map((t) => Math.max(...groups.map((g) => g.items.filter((i) => i.topic === t).length)));
  return kept.reduce((a, b) => a + b, 0) / all.length;
}

describe("groupSimilar", () => {
  it("puts fifty ways of asking how to withdraw into a few groups, one per language at best", () => {
    // Act
    const groups = groupSimilar(withdrawals, (t) => t, { background });

    // Assess: measured 4 groups: 26 mostly Chinese, 21 mostly English, "cash out" ×2, "找不到提现的地方"
    expect(withdrawals).toHaveLength(50);
    expect(groups.length).toBeLessThanOrEqual(5);
    expect((groups[0]?.count ?? 0) + (groups[1]?.count ?? 0)).toBeGreaterThanOrEqual(45);
    const biggest = [groups[0]?.representative, groups[1]?.representative];
    expect(biggest).toContain("怎么提现");
    expect(biggest.some((r) => /withdraw/i.test(r ?? ""))).toBe(true);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(50);
  });

  it("keeps the withdrawal questions apart from eight other topics", () => {
    // Prepare
    const messages = [...labelled, ...withdrawals.map((text) => ({ topic: "withdraw", text }))];

    // Act
    const groups = groupSimilar(messages, (m) => m.text, { background });

    // Assess
    expect(purity(groups)).toBe(1);
    expect(groups.filter((g) => g.items.some((m) => m.topic === "withdraw")).length).toBeLessThanOrEqual(6);
  });

  /*
   * 64 messages, 8 topics, 3 scripts. Measured at the default threshold (0.25), with the intents as
   * background and without: 22 groups, purity 1.000 (no group mixes topics), completeness 0.547.
   * Completeness cannot pass about 0.6: a topic's English and Chinese wordings share no gram. The
   * bounds leave room for one mixed group (purity 0.95: three messages of 64 in a wrong group) and a
   * few more splits, but fail for a grouping that splits everything (64 groups) or lumps topics.
   */
  it.each([
    ["with the intents as background", { background }, 0.95, 26],
    ["without a background", {}, 0.95, 26],
  ])("groups a labelled set by topic, %s", (_, options, minPurity, maxGroups) => {
    // Act
    const groups = groupSimilar(labelled, (m) => m.text, options);

    // Assess
    expect(labelled).toHaveLength(64);
    expect(purity(groups)).toBeGreaterThanOrEqual(minPurity);
    expect(groups.length).toBeLessThanOrEqual(maxGroups);
    expect(completeness(groups, labelled)).toBeGreaterThanOrEqual(0.45);
  });

  it("keeps unrelated questions apart even when they are worded alike", () => {
    // Prepare
    const texts = [
      "怎么提现",
      "怎么充值",
      "怎么注销账号",
      "how do I withdraw",
      "how do I top up",
      "how do I delete my account",
    ];

    // Act
    const groups = groupSimilar(texts, (t) => t, { background });

    // Assess
    expect(groups.map((g) => g.representative)).toEqual(texts);
  });

  it("folds Traditional into Simplified, full-width into ASCII and case", () => {
    // Act
    const groups = groupSimilar(
      ["怎麼提現？", "怎么提现", "ＨＯＷ ＤＯ Ｉ ＷＩＴＨＤＲＡＷ", "how do i withdraw"],
      (t) => t,
    );

    // Assess
    expect(groups.map((g) => g.count)).toEqual([2, 2]);
  });

  it("orders groups biggest first, then by their earliest message; members keep input order", () => {
    // Prepare
    const items = [
      { id: 1, text: "can I buy bitcoin" },
      { id: 2, text: "怎么注销账号" },
      { id: 3, text: "how do I delete my account" },
      { id: 4, text: "如何注銷帳號" },
      { id: 5, text: "怎么注销我的账号" },
      { id: 6, text: "delete my account please" },
    ];

    // Act
    const groups = groupSimilar(items, (i) => i.text, { background });

    // Assess
    expect(groups.map((g) => g.items.map((i) => i.id))).toEqual([[2, 4, 5], [3, 6], [1]]);
    expect(groupSimilar(items, (i) => i.text, { background })).toEqual(groups);
  });

  it("names the most central member and at most five distinct examples, it first", () => {
    // Prepare: the same question twelve times, in three spellings, and a longer variant
    const texts = [
      ...Array.from({ length: 4 }, () => "how do I withdraw"),
      ...Array.from({ length: 4 }, () => "How do I withdraw?"),
      ...Array.from({ length: 4 }, () => "how do i withdraw"),
      ...withdrawals.slice(24, 40),
    ];

    // Act
    const [first] = groupSimilar(texts, (t) => t, { background });

    // Assess
    expect(first?.representative).toBe("how do I withdraw");
    expect(first?.examples[0]).toBe(first?.representative);
    expect(first?.examples.length).toBe(5);
    const folded = first?.examples.map((e) => e.toLowerCase().replace(/\?$/, ""));
    expect(new Set(folded).size).toBe(5);
  });

  it("groups texts without words (emoji, punctuation) only with the same text", () => {
    // Act
    const groups = groupSimilar(["👍", "???", "👍", "怎么提现", "？？？"], (t) => t);

    // Assess
    expect(groups.map((g) => [g.representative, g.count])).toEqual([
      ["👍", 2],
      ["???", 2],
      ["怎么提现", 1],
    ]);
  });

  it("treats placeholders as one word whatever they stood for", () => {
    // Act
    const groups = groupSimilar(
      [
        "is [contact] your official number",
        "is [contact] your official number?",
        "my [REDACTED:card] was charged",
      ],
      (t) => t,
    );

    // Assess
    expect(groups.map((g) => g.count)).toEqual([2, 1]);
  });

  it("returns no group for no message", () => {
    expect(groupSimilar([], (t: string) => t)).toEqual([]);
  });
});
