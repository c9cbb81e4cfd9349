import { IntentClassifier } from "../src/core/classifier.ts";
import { detectLanguage } from "../src/core/language.ts";
import { percentile } from "../src/core/metrics.ts";
import { LinearModel } from "../src/core/model.ts";
import { selectedOptions, selectSetting } from "../src/core/select.ts";
import type { Example, TrainOptions } from "../src/core/train.ts";
import { DEFAULT_TRAINING, trainModel } from "../src/core/train.ts";

export interface EvalSet {
  name: string;
  examples: readonly Example[];
}

export interface ClassifierResult {
  dataset: string;
  /** "guardline" trains with the fixed defaults (C = 2), "guardline selected" with selection's choice. */
  system: "guardline" | "guardline selected" | "nlp.js";
  trainSeconds: number;
  modelBytes: number;
  loadMs: number;
  accuracy: Record<string, number>;
  latencyUsP50: number;
  latencyUsP99: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Times one call per text, after a warm-up pass, over at least `samples` calls. A call that returns a
 * promise (NLP.js) is awaited inside its timing; a synchronous one (Guardline) is not awaited at all.
 */
async function latencies(
  texts: readonly string[],
  call: (text: string) => unknown,
  samples: number,
): Promise<number[]> {
  for (const text of texts.slice(0, 500)) await call(text);
  const result: number[] = [];
  while (result.length < samples) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      const answer = call(text);
      if (answer instanceof Promise) await answer;
      result.push(Number(process.hrtime.bigint() - started) / 1000);
      if (result.length >= samples) break;
    }
  }
  return result;
}

/**
 * Accuracy on each evaluation set, then p50 and p99 latency over all their texts as the median of
 * three rounds: a shared machine's occasional stall moves one round's tail, not the reported figure.
 */
async function measure(
  evalSets: readonly EvalSet[],
  predict: (text: string) => unknown,
  samples: number,
): Promise<Pick<ClassifierResult, "accuracy" | "latencyUsP50" | "latencyUsP99">> {
  const accuracy: Record<string, number> = {};
  for (const set of evalSets) {
    let correct = 0;
    for (const e of set.examples) if ((await predict(e.text)) === e.label) correct++;
    accuracy[set.name] = round(correct / set.examples.length, 4);
  }
  const texts = evalSets.flatMap((s) => s.examples.map((e) => e.text));
  // Training just left hundreds of MB of garbage: collect it now, not inside the timed calls.
  (globalThis as { gc?: () => void }).gc?.();
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let i = 0; i < 3; i++) {
    const times = await latencies(texts, predict, samples);
    p50s.push(percentile(times, 0.5));
    p99s.push(percentile(times, 0.99));
  }
  return {
    accuracy,
    latencyUsP50: round(percentile(p50s, 0.5), 1),
    latencyUsP99: round(percentile(p99s, 0.5), 1),
  };
}

/** Guardline's trainer: train, write, reload, then accuracy and latency on each evaluation set. */
export async function benchGuardline(
  dataset: string,
  train: readonly Example[],
  evalSets: readonly EvalSet[],
  options: TrainOptions = DEFAULT_TRAINING,
  system: ClassifierResult["system"] = "guardline",
): Promise<ClassifierResult> {
  const started = performance.now();
  const model = trainModel(train, options);
  const trainSeconds = (performance.now() - started) / 1000;
  // Load time is parsing the model file and building its index, as at a cold start.
  const file = model.toJson();
  const loads: number[] = [];
  let classifier = new IntentClassifier(model);
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    classifier = new IntentClassifier(LinearModel.fromJson(file));
    loads.push(performance.now() - t);
  }
  return {
    dataset,
    system,
    trainSeconds: round(trainSeconds, 2),
    modelBytes: Buffer.byteLength(file),
    loadMs: round(percentile(loads, 0.5), 1),
    ...(await measure(evalSets, (t) => classifier.classify(t).intent, 4000)),
  };
}

export interface SelectionResult {
  dataset: string;
  examples: number;
  k: number;
  /** Mean fold accuracy of the fixed defaults (C = 2), the first setting selection tries. */
  fixedCv: number;
  selectedCv: number;
  chosen: string;
  trials: number;
  seconds: number;
}

/** Model selection as `train` runs it, timed; returns the options to train the selected model with. */
export function benchSelection(
  dataset: string,
  train: readonly Example[],
): { result: SelectionResult; options: TrainOptions } {
  const started = performance.now();
  const selection = selectSetting(train, DEFAULT_TRAINING);
  const seconds = (performance.now() - started) / 1000;
  const first = selection.trials[0] as (typeof selection.trials)[number];
  return {
    result: {
      dataset,
      examples: train.length,
      k: selection.k,
      fixedCv: first.cv.mean,
      selectedCv: selection.best.cv.mean,
      chosen: selection.best.name,
      trials: selection.trials.length,
      seconds: round(seconds, 1),
    },
    options: selectedOptions(DEFAULT_TRAINING, selection),
  };
}

interface NlpManagerLike {
  addDocument(language: string, text: string, intent: string): void;
  train(): Promise<unknown>;
  process(
    language: string,
    text: string,
  ): Promise<{ intent: string; classifications?: { intent: string }[] }>;
  export(minified?: boolean): string;
  import(data: string): void;
}

/** NLP.js (`node-nlp`) on the same data, used the way its documentation shows: NlpManager per language. */
export async function benchNlpJs(
  dataset: string,
  train: readonly Example[],
  evalSets: readonly EvalSet[],
): Promise<ClassifierResult> {
  const { NlpManager } = (await import("node-nlp")) as unknown as {
    NlpManager: new (options: object) => NlpManagerLike;
  };
  const languageOf = (text: string) => (detectLanguage(text, "en").locale === "en" ? "en" : "zh");
  const languages = [...new Set(train.map((e) => languageOf(e.text)))];
  const options = { languages, forceNER: false, autoSave: false, nlu: { log: false }, ner: { builtins: [] } };
  const manager = new NlpManager(options);
  for (const e of train) manager.addDocument(languageOf(e.text), e.text, e.label);
  const started = performance.now();
  await quietly(() => manager.train());
  const trainSeconds = (performance.now() - started) / 1000;
  const exported = manager.export(true);
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    new NlpManager(options).import(exported);
    loads.push(performance.now() - t);
  }
  // The best-scoring intent, as for Guardline: NLP.js itself answers "None" below its threshold.
  const predict = async (text: string) => {
    const result = await manager.process(languageOf(text), text);
    return result.classifications?.[0]?.intent ?? result.intent;
  };
  return {
    dataset,
    system: "nlp.js",
    trainSeconds: round(trainSeconds, 2),
    modelBytes: Buffer.byteLength(exported),
    loadMs: round(percentile(loads, 0.5), 1),
    ...(await measure(evalSets, predict, 2000)),
  };
}

/** NLP.js prints progress to stdout while training; the bench table should stay readable. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}
