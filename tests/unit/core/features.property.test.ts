import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEATURES, extractFeatures, scanFeatures, scanned } from "../../../src/core/features.ts";

/**
 * The scanner walks UTF-16 code units by hand, so it is tried on text built to trip it: lone and
 * paired surrogates, astral Han, emoji with modifiers, zero-width characters, combining marks,
 * full-width forms, digits of other scripts and long runs that outgrow its buffers.
 */
const piece = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "转账失败",
    "帳號被凍結",
    "𠮷野家",
    "\uD842",
    "\uDFB7",
    "👍🏽",
    "🇨🇳",
    "\u200b",
    "\u00ad",
    "e\u0301",
    "ＨＥＬＬＯ",
    "١٢٣",
    "don't",
    "USDT2",
    " ",
    "\n",
  ),
  fc.integer({ min: 1, max: 3000 }).map((n) => "转".repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => "a".repeat(n)),
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));

describe("feature scanner on arbitrary text", () => {
  it("never throws, gives each 30-bit id once with a positive count, and scanFeatures agrees", () => {
    fc.assert(
      fc.property(text, (input) => {
        const { ids, counts } = extractFeatures(input, DEFAULT_FEATURES);
        expect(new Set(ids).size).toBe(ids.length);
        for (let i = 0; i < ids.length; i++) {
          expect((ids[i] as number) < 2 ** 30).toBe(true);
          expect(counts[i]).toBeGreaterThan(0);
        }
        scanFeatures(input, DEFAULT_FEATURES);
        expect([...scanned.ids.subarray(0, scanned.length)]).toEqual([...ids]);
        expect([...scanned.counts.subarray(0, scanned.length)]).toEqual([...counts]);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it("gives the same features whatever text came before (no state leaks between calls)", () => {
    fc.assert(
      fc.property(text, text, (first, second) => {
        const alone = extractFeatures(second, DEFAULT_FEATURES);
        extractFeatures(first, DEFAULT_FEATURES);
        const after = extractFeatures(second, DEFAULT_FEATURES);
        expect([...after.ids]).toEqual([...alone.ids]);
        expect([...after.counts]).toEqual([...alone.counts]);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
