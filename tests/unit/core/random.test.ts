import { describe, expect, it } from "vitest";
import { seededRandom, stratifiedFolds, stratifiedSplit } from "../../../src/core/random.ts";

describe("seededRandom", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("stratifiedSplit", () => {
  const labels = [...Array(50).fill("a"), ...Array(10).fill("b"), "c"];

  it("holds out about the fraction of every label, and never a label's only example", () => {
    const { train, heldOut } = stratifiedSplit(labels, 0.2, 3);
    const count = (ids: number[], label: string) => ids.filter((i) => labels[i] === label).length;
    expect(count(heldOut, "a")).toBe(10);
    expect(count(heldOut, "b")).toBe(2);
    expect(count(heldOut, "c")).toBe(0);
    expect([...train, ...heldOut].sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
  });

  it("is deterministic for a seed", () => {
    expect(stratifiedSplit(labels, 0.2, 3)).toEqual(stratifiedSplit(labels, 0.2, 3));
    expect(stratifiedSplit(labels, 0.2, 3)).not.toEqual(stratifiedSplit(labels, 0.2, 4));
  });
});

describe("stratifiedFolds", () => {
  it("puts every index in exactly one fold, each label spread evenly, the same way for the same seed", () => {
    const labels = [...Array(10).fill("a"), ...Array(7).fill("b"), ...Array(3).fill("c")] as string[];
    const folds = stratifiedFolds(labels, 5, 7);
    expect(folds.flat().sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
    expect(folds.map((f) => f.length)).toEqual([4, 4, 4, 4, 4]);
    for (const fold of folds) expect(fold.filter((i) => labels[i] === "a")).toHaveLength(2);
    expect(stratifiedFolds(labels, 5, 7)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 8)).not.toEqual(folds);
    expect(() => stratifiedFolds(labels, 1, 7)).toThrow(RangeError);
  });
});
