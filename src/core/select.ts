import type { FeatureConfig } from "./features.ts";
import { type CrossValidation, crossValidate, type Example, type TrainOptions } from "./train.ts";

/** What model selection chooses: the SVM's C, the max-df cut and the feature families. */
export interface Setting {
  c: number;
  maxDf: number;
  features: FeatureConfig;
}

/** Dimensions the caller fixed (`train --c 4 --han 1-3`): selection leaves them alone. */
export interface Forced {
  c?: number;
  maxDf?: number;
  hanNgrams?: readonly [number, number];
  hanRuns?: boolean;
  hanAcross?: boolean;
  wordNgrams?: number;
  subwordNgrams?: readonly [number, number];
}

export interface Trial {
  setting: Setting;
  /** "C 2 · han 1–2 · words 1–2 · sub 3–4 · max-df 0.2" */
  name: string;
  cv: CrossValidation;
}

export interface Selection {
  k: number;
  /** Every setting tried, in the order tried. */
  trials: Trial[];
  best: Trial;
}

export interface SelectionProgress {
  trial: number;
  name: string;
  fold: number;
  folds: number;
}

/** Values tried per dimension; the defaults are among them, so selection never does worse in CV. */
export const GRID = {
  /** Searched outwards from the default (2) while the score improves; must contain it. */
  c: [0.5, 1, 2, 4, 8],
  hanNgrams: [
    [1, 2],
    [1, 3],
    [1, 4],
  ] as const,
  hanAcross: [false, true],
  hanRuns: [false, true],
  wordNgrams: [2, 1],
  subwordNgrams: [
    [3, 4],
    [2, 4],
    [3, 5],
  ] as const,
  maxDf: [0.2, 0.5, 1],
};

/**
 * Folds for selection: 5, or 3 above 8,000 examples, where a third of the data still holds dozens
 * of examples per label and each trial costs half as much (BANKING77 selects in under 3 minutes).
 */
export function defaultFolds(examples: number): number {
  return examples > 8000 ? 3 : 5;
}

/** A family is searched only when this share of the examples has its script. */
const SCRIPT_SHARE = 0.05;

export function settingName(s: Setting): string {
  const f = s.features;
  return [
    `C ${s.c}`,
    `han ${f.hanNgrams[0]}–${f.hanNgrams[1]}${f.hanAcross ? " across" : ""}${f.hanRuns ? " +runs" : ""}`,
    `words 1–${f.wordNgrams}`,
    `sub ${f.subwordNgrams[0]}–${f.subwordNgrams[1]}`,
    `max-df ${s.maxDf}`,
  ].join(" · ");
}

/** The base options with the forced dimensions applied. */
export function applyForced(base: TrainOptions, forced: Forced): TrainOptions {
  return {
    ...base,
    c: forced.c ?? base.c,
    maxDf: forced.maxDf ?? base.maxDf,
    features: {
      ...base.features,
      hanNgrams: forced.hanNgrams ?? base.features.hanNgrams,
      hanRuns: forced.hanRuns ?? base.features.hanRuns ?? false,
      hanAcross: forced.hanAcross ?? base.features.hanAcross ?? false,
      wordNgrams: forced.wordNgrams ?? base.features.wordNgrams,
      subwordNgrams: forced.subwordNgrams ?? base.features.subwordNgrams,
    },
  };
}

/**
 * Chooses C, max-df and the feature families by stratified k-fold cross-validation on `examples`,
 * one dimension at a time from the defaults (coordinate ascent: feature families first, then
 * max-df, then C). A candidate replaces the current setting only when its mean fold accuracy is
 * strictly higher, so ties keep the defaults. Han and Latin families are searched only when the data
 * has that script. Deterministic: folds and solver both come from `base.seed`.
 */
export function selectSetting(
  examples: readonly Example[],
  base: TrainOptions,
  forced: Forced = {},
  k = defaultFolds(examples.length),
  onProgress: (progress: SelectionProgress) => void = () => {},
): Selection {
  const start = applyForced(base, forced);
  const trials: Trial[] = [];
  const tried = new Map<string, Trial>();
  const evaluate = (setting: Setting): Trial => {
    const name = settingName(setting);
    const known = tried.get(name);
    if (known) return known;
    const trial: Trial = {
      setting,
      name,
      cv: crossValidate(examples, { ...base, ...setting }, k, (fold, folds) =>
        onProgress({ trial: trials.length + 1, name, fold, folds }),
      ),
    };
    tried.set(name, trial);
    trials.push(trial);
    return trial;
  };
  let best = evaluate({ c: start.c, maxDf: start.maxDf, features: start.features });
  const tryAll = (candidates: Setting[]) => {
    for (const candidate of candidates) {
      const trial = evaluate(candidate);
      if (trial.cv.mean > best.cv.mean) best = trial;
    }
  };
  const withFeatures = (change: Partial<FeatureConfig>) => (): Setting => ({
    ...best.setting,
    features: { ...best.setting.features, ...change },
  });

  /**
   * C last, outwards from the current value in each direction while accuracy improves (it is
   * unimodal in C in practice): larger C is the slowest to train, and is tried only when it helps.
   */
  const searchC = () => {
    const values = [...GRID.c].sort((a, b) => a - b);
    const from = values.indexOf(best.setting.c);
    for (const step of [-1, 1]) {
      for (let i = from + step; i >= 0 && i < values.length; i += step) {
        const before = best;
        tryAll([{ ...best.setting, c: values[i] as number }]);
        if (best === before) break;
      }
    }
  };

  const share = (pattern: RegExp) => examples.filter((e) => pattern.test(e.text)).length / examples.length;
  const hasHan = share(/\p{Script=Han}/u) >= SCRIPT_SHARE;
  const hasLatin = share(/\p{Script=Latin}/u) >= SCRIPT_SHARE;
  const stages: (() => Setting)[][] = [];
  if (hasHan && forced.hanNgrams === undefined)
    stages.push(GRID.hanNgrams.map((hanNgrams) => withFeatures({ hanNgrams })));
  if (hasHan && forced.hanAcross === undefined)
    stages.push(GRID.hanAcross.map((hanAcross) => withFeatures({ hanAcross })));
  if (hasHan && forced.hanRuns === undefined)
    stages.push(GRID.hanRuns.map((hanRuns) => withFeatures({ hanRuns })));
  if (hasLatin && forced.wordNgrams === undefined)
    stages.push(GRID.wordNgrams.map((wordNgrams) => withFeatures({ wordNgrams })));
  if (hasLatin && forced.subwordNgrams === undefined)
    stages.push(GRID.subwordNgrams.map((subwordNgrams) => withFeatures({ subwordNgrams })));
  if (forced.maxDf === undefined) stages.push(GRID.maxDf.map((maxDf) => () => ({ ...best.setting, maxDf })));
  // Each candidate is built from the best setting at the moment it is tried.
  for (const stage of stages) tryAll(stage.map((make) => make()));
  if (forced.c === undefined) searchC();
  return { k, trials, best };
}

/** `base` trained with the selection's choice, which the model then records (`training.selection`). */
export function selectedOptions(base: TrainOptions, selection: Selection): TrainOptions {
  const { k, trials, best } = selection;
  return {
    ...base,
    ...best.setting,
    selection: { k, trials: trials.length, mean: best.cv.mean, chosen: best.name },
  };
}
