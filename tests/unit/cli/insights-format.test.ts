import { describe, expect, it } from "vitest";
import { formatMissGroups } from "../../../src/cli/insights-format.ts";
import { displayWidth, padToWidth, truncateToWidth } from "../../../src/cli/text-width.ts";
import { groupSimilar } from "../../../src/core/similar.ts";

describe("displayWidth", () => {
  it.each([
    ["ASCII", "how do I withdraw", 17],
    ["Simplified", "怎么提现", 8],
    ["Traditional with full-width punctuation", "請問，怎麼提現？", 16],
    ["mixed", "我想withdraw到银行卡", 20],
    ["full-width digits", "１３８", 6],
    ["an emoji and a ZWJ family", "ok 👍 👨‍👩‍👧", 8],
    ["a combining accent", "cafe\u0301", 4],
    ["Hangul and kana", "한국어 かな", 11],
  ])("%s", (_, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe("truncateToWidth and padToWidth", () => {
  it("cuts at a cell budget, never through a wide character, and marks the cut", () => {
    expect(truncateToWidth("怎么把余额提现到银行卡", 9)).toBe("怎么把余…");
    expect(truncateToWidth("怎么把余额提现到银行卡", 10)).toBe("怎么把余…");
    expect(truncateToWidth("how do I withdraw", 8)).toBe("how do …");
    expect(truncateToWidth("short", 8)).toBe("short");
  });

  it("pads by cells, not by string length", () => {
    expect(padToWidth("提现", 6)).toBe("提现  ");
    expect(padToWidth("42", 5, "right")).toBe("   42");
  });
});

describe("formatMissGroups", () => {
  const texts = [
    "怎么提现",
    "请问怎么提现？",
    "怎麼提現",
    "提现怎么操作",
    "how do I withdraw",
    "How do I withdraw?",
    "how can I withdraw my balance to my bank card, I have been trying the whole afternoon and the app keeps showing an error page",
    "能开发票吗",
  ];
  const groups = groupSimilar(texts, (t) => t);

  it("shows count, question and other wordings, biggest group first", () => {
    // Act
    const table = formatMissGroups(groups);

    // Assess
    expect(table).toBe(
      [
        "  count  question, and other ways it was asked",
        `-------  ${"-".repeat(91)}`,
        "      4  怎么提现",
        "         · 请问怎么提现？",
        "         · 提现怎么操作",
        "      2  how do I withdraw",
        "      1  how can I withdraw my balance to my bank card, I have been trying the whole afternoon and …",
        "      1  能开发票吗",
        "",
        "8 unanswered message(s) in 4 group(s)",
      ].join("\n"),
    );
  });

  it("fits every line in the width, Chinese counted as two cells", () => {
    // Prepare
    const wide = [
      {
        representative: "为什么".repeat(60),
        count: 1200,
        examples: ["为什么".repeat(60), "why ".repeat(60)],
      },
    ];

    // Act
    const lines = formatMissGroups(wide, { width: 60 }).split("\n");

    // Assess
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines[2]).toMatch(/^ {3}1200 {2}(为什么)+为?…$/);
    expect(lines[3]).toMatch(/^ {9}· (why )+w?h?y?…$/);
  });

  it("shows at most the asked number of other wordings, without the question itself", () => {
    // Prepare
    const group = { representative: "a", count: 6, examples: ["a", "b", "c", "d", "e"] };

    // Act
    const lines = formatMissGroups([group], { examples: 2 }).split("\n");

    // Assess
    expect(lines.filter((l) => l.trimStart().startsWith("· "))).toEqual(["         · b", "         · c"]);
  });

  it("prints no control character a user could have sent to the operator's terminal", () => {
    // Prepare
    const group = { representative: "hi\u001b[2J\u001b[31mred\nnext\tline", count: 1, examples: [] };

    // Act
    const table = formatMissGroups([group]);

    // Assess
    expect(table).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(table).toContain("hi[2J[31mred next line");
  });

  it("says so when there is nothing to show", () => {
    expect(formatMissGroups([])).toBe("no unanswered questions in this range");
  });
});
