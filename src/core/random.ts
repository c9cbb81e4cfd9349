/** A small seeded PRNG (mulberry32): training must give the same model bytes for the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given random source. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Splits indices into train and held-out parts, stratified by label: every label keeps about
 * `fraction` of its examples in the held-out part (at least one when it has two or more).
 */
export function stratifiedSplit(
  labels: readonly string[],
  fraction: number,
  seed: number,
): { train: number[]; heldOut: number[] } {
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    byLabel.set(label, [...(byLabel.get(label) ?? []), i]);
  });
  const random = seededRandom(seed);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const indices = shuffle(byLabel.get(label) ?? [], random);
    const take = indices.length < 2 ? 0 : Math.max(1, Math.round(indices.length * fraction));
    heldOut.push(...indices.slice(0, take));
    train.push(...indices.slice(take));
  }
  return { train: train.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}

/**
 * Deterministic stratified k-fold assignment: each label's indices, shuffled with `seed`, are dealt
 * round-robin into `k` folds (continuing where the previous label stopped, so fold sizes differ by
 * at most one). Returns the folds' sorted indices.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError("k-fold needs k ≥ 2");
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    byLabel.set(label, [...(byLabel.get(label) ?? []), i]);
  });
  const random = seededRandom(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const index of shuffle(byLabel.get(label) ?? [], random)) {
      folds[next]?.push(index);
      next = (next + 1) % k;
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}
