import { shuffle } from "./random.ts";

/** Rows of L2-normalised sparse feature vectors (compressed sparse rows). */
export interface SparseRows {
  rowStart: Uint32Array;
  indices: Uint32Array;
  values: Float64Array;
}

export interface SvmOptions {
  /** Inverse regularisation strength. */
  c: number;
  maxIterations: number;
  /** Stop when the projected-gradient spread falls below this (liblinear's default is 0.1). */
  tolerance: number;
}

/**
 * One binary L2-regularised, L2-loss linear SVM trained by dual coordinate descent (Hsieh et al.
 * 2008, the algorithm behind liblinear's default solver). The bias is an extra constant feature.
 * Returns weights with the bias in the last slot. `positive[i]` says whether row i is the class.
 */
export function trainBinarySvm(
  rows: SparseRows,
  featureCount: number,
  positive: (row: number) => boolean,
  options: SvmOptions,
  random: () => number,
): Float64Array {
  const { rowStart, indices, values } = rows;
  const rowCount = rowStart.length - 1;
  const weights = new Float64Array(featureCount + 1);
  const alpha = new Float64Array(rowCount);
  const diagonal = 0.5 / options.c;
  const qd = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    let norm = 1; // the bias feature
    for (let k = rowStart[i] as number; k < (rowStart[i + 1] as number); k++)
      norm += (values[k] as number) ** 2;
    qd[i] = norm + diagonal;
  }
  const order = Array.from({ length: rowCount }, (_, i) => i);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    shuffle(order, random);
    let maxGradient = Number.NEGATIVE_INFINITY;
    let minGradient = Number.POSITIVE_INFINITY;
    for (const i of order) {
      const y = positive(i) ? 1 : -1;
      const start = rowStart[i] as number;
      const end = rowStart[i + 1] as number;
      let margin = weights[featureCount] as number;
      for (let k = start; k < end; k++)
        margin += (weights[indices[k] as number] as number) * (values[k] as number);
      const a = alpha[i] as number;
      const gradient = y * margin - 1 + diagonal * a;
      const projected = a === 0 ? Math.min(gradient, 0) : gradient;
      if (projected > maxGradient) maxGradient = projected;
      if (projected < minGradient) minGradient = projected;
      if (Math.abs(projected) <= 1e-12) continue;
      const next = Math.max(a - gradient / (qd[i] as number), 0);
      alpha[i] = next;
      const step = (next - a) * y;
      for (let k = start; k < end; k++) {
        const feature = indices[k] as number;
        weights[feature] = (weights[feature] as number) + step * (values[k] as number);
      }
      weights[featureCount] = (weights[featureCount] as number) + step;
    }
    if (maxGradient - minGradient <= options.tolerance) break;
  }
  return weights;
}
