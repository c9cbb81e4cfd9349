import { describe, expect, it } from "vitest";
import { confusedPairs, evaluate, percentile } from "../../../src/core/metrics.ts";

describe("evaluate", () => {
  it("computes accuracy, per-label precision/recall/F1 and macro-F1", () => {
    const outcome = (truth: string, predicted: string, latencyUs = 10) => ({
      truth,
      predicted,
      confidence: 0.9,
      latencyUs,
    });
    const report = evaluate([outcome("a", "a"), outcome("a", "b"), outcome("b", "b"), outcome("b", "b", 50)]);
    expect(report.n).toBe(4);
    expect(report.accuracy).toBe(0.75);
    expect(report.perLabel.a).toEqual({ precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    expect(report.perLabel.b).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(report.macroF1).toBe(0.7333);
    expect(report.latencyUsP50).toBe(10);
    expect(report.latencyUsP99).toBe(50);
    // Confidence 0.9 against accuracy 0.75.
    expect(report.ece).toBe(0.15);
  });
});

describe("confusedPairs", () => {
  it("counts both directions of a pair together, most errors first, and leaves correct answers out", () => {
    const outcome = (truth: string, predicted: string) => ({
      truth,
      predicted,
      confidence: 0.5,
      latencyUs: 1,
    });
    const pairs = confusedPairs([
      outcome("transfer_failed", "funds_not_received"),
      outcome("funds_not_received", "transfer_failed"),
      outcome("funds_not_received", "transfer_failed"),
      outcome("fees", "limits"),
      outcome("fees", "fees"),
      outcome("limits", "limits"),
    ]);
    expect(pairs).toEqual([
      { pair: ["funds_not_received", "transfer_failed"], counts: [2, 1], total: 3 },
      { pair: ["fees", "limits"], counts: [1, 0], total: 1 },
    ]);
    expect(confusedPairs([outcome("a", "a")])).toEqual([]);
  });
});

describe("percentile", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
  });
});
