export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error over 10 confidence bins: how far confidence is from accuracy. */
  ece: number;
  latencyUsP50: number;
  latencyUsP99: number;
  perLabel: Record<string, LabelMetrics>;
  /**
   * The pairs of intents mistaken for each other, most errors first: `a → b` and `b → a` count
   * together, so an operator sees which neighbours need contrastive utterances.
   */
  confusedPairs: ConfusedPair[];
}

export interface ConfusedPair {
  /** The two intents, in alphabetical order. */
  pair: [string, string];
  /** Messages of pair[0] classified as pair[1], and the other way round. */
  counts: [number, number];
  total: number;
}

export interface Outcome {
  truth: string;
  predicted: string;
  confidence: number;
  latencyUs: number;
}

/** The value below which `q` of the sorted values fall (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

/** Accuracy, macro-F1, per-label precision/recall/F1, calibration error and latency percentiles. */
export function evaluate(outcomes: readonly Outcome[]): EvalReport {
  const labels = [...new Set(outcomes.flatMap((o) => [o.truth, o.predicted]))].sort();
  const perLabel: Record<string, LabelMetrics> = {};
  for (const label of labels) {
    const tp = outcomes.filter((o) => o.truth === label && o.predicted === label).length;
    const predicted = outcomes.filter((o) => o.predicted === label).length;
    const support = outcomes.filter((o) => o.truth === label).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel[label] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
  }
  const supported = Object.values(perLabel).filter((m) => m.support > 0);
  const correct = outcomes.filter((o) => o.truth === o.predicted).length;
  const latencies = outcomes.map((o) => o.latencyUs);
  return {
    n: outcomes.length,
    accuracy: round(outcomes.length ? correct / outcomes.length : 0),
    macroF1: round(supported.reduce((sum, m) => sum + m.f1, 0) / (supported.length || 1)),
    ece: round(calibrationError(outcomes)),
    latencyUsP50: round(percentile(latencies, 0.5), 1),
    latencyUsP99: round(percentile(latencies, 0.99), 1),
    perLabel,
    confusedPairs: confusedPairs(outcomes),
  };
}

/** Pure: every pair of labels with at least one error between them, most errors first. */
export function confusedPairs(outcomes: readonly Outcome[]): ConfusedPair[] {
  const pairs = new Map<string, ConfusedPair>();
  for (const { truth, predicted } of outcomes) {
    if (truth === predicted) continue;
    const [first, second] = truth < predicted ? [truth, predicted] : [predicted, truth];
    const key = `${first}\u0000${second}`;
    const entry = pairs.get(key) ?? { pair: [first, second], counts: [0, 0], total: 0 };
    entry.counts[truth === first ? 0 : 1]++;
    entry.total++;
    pairs.set(key, entry);
  }
  return [...pairs.values()].sort(
    (a, b) => b.total - a.total || a.pair[0].localeCompare(b.pair[0]) || a.pair[1].localeCompare(b.pair[1]),
  );
}

function calibrationError(outcomes: readonly Outcome[], bins = 10): number {
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = outcomes.filter((o) => Math.min(bins - 1, Math.floor(o.confidence * bins)) === b);
    if (inBin.length === 0) continue;
    const accuracy = inBin.filter((o) => o.truth === o.predicted).length / inBin.length;
    const confidence = inBin.reduce((sum, o) => sum + o.confidence, 0) / inBin.length;
    total += (inBin.length / outcomes.length) * Math.abs(accuracy - confidence);
  }
  return total;
}
