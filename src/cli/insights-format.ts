import type { SimilarGroup } from "../core/similar.ts";
import { displayWidth, padToWidth, truncateToWidth } from "./text-width.ts";

/** What the misses table shows of a group (`groupSimilar`'s result, or the API's JSON of it). */
export type MissGroupRow = Pick<SimilarGroup<unknown>, "representative" | "count" | "examples">;

export interface MissTableOptions {
  /** Terminal cells per line. */
  width?: number;
  /** Other wordings shown under each question. */
  examples?: number;
}

const COUNT_WIDTH = 7;
const GAP = "  ";

/**
 * `cli insights:misses`: one row per group, biggest first as given: the count, the most typical
 * wording, and under it a few other wordings. Every line fits `width` cells (Chinese counted as two).
 * User text reaches an operator's terminal here, so control characters are dropped, not printed.
 */
export function formatMissGroups(groups: readonly MissGroupRow[], options: MissTableOptions = {}): string {
  const width = options.width ?? 100;
  const shown = options.examples ?? 3;
  if (groups.length === 0) return "no unanswered questions in this range";
  const textWidth = width - COUNT_WIDTH - GAP.length;
  const indent = " ".repeat(COUNT_WIDTH + GAP.length);
  const lines = [`${padToWidth("count", COUNT_WIDTH, "right")}${GAP}question, and other ways it was asked`];
  lines.push(`${"-".repeat(COUNT_WIDTH)}${GAP}${"-".repeat(Math.max(0, textWidth))}`);
  for (const group of groups) {
    const count = padToWidth(String(group.count), COUNT_WIDTH, "right");
    lines.push(`${count}${GAP}${truncateToWidth(oneLine(group.representative), textWidth)}`);
    const others = group.examples.filter((e) => e !== group.representative).slice(0, shown);
    for (const example of others)
      lines.push(`${indent}${truncateToWidth(`· ${oneLine(example)}`, textWidth)}`);
  }
  const messages = groups.reduce((n, g) => n + g.count, 0);
  lines.push("", `${messages} unanswered message(s) in ${groups.length} group(s)`);
  return lines.map((line) => (displayWidth(line) > width ? truncateToWidth(line, width) : line)).join("\n");
}

/** Line breaks and tabs as spaces; control characters (a terminal would obey them) dropped. */
function oneLine(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, "")
    .trim();
}
