import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBrain } from "../config.ts";
import { IntentClassifier } from "../core/classifier.ts";
import { type EvalReport, evaluate, type Outcome } from "../core/metrics.ts";
import { LinearModel } from "../core/model.ts";
import { stratifiedSplit } from "../core/random.ts";
import {
  applyForced,
  defaultFolds,
  type Forced,
  type Selection,
  type SelectionProgress,
  selectedOptions,
  selectSetting,
  settingName,
  type Trial,
} from "../core/select.ts";
import {
  crossValidate,
  DEFAULT_TRAINING,
  type Example,
  type TrainProgress,
  trainModel,
} from "../core/train.ts";
import { ValidationError } from "../errors.ts";
import { readExamplesCsv } from "./csv.ts";

export function classifyCommand(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: "boolean" } },
    allowPositionals: true,
  });
  const text = positionals.join(" ").trim();
  if (!text) throw new ValidationError('classify needs a text: classify [--json] "<text>"');
  const result = loadBrain().classifier.classify(text);
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const rule = result.rule ? `, by the ${result.rule} rule` : "";
  console.log(`${result.intent} (${(result.confidence * 100).toFixed(1)}%, ${result.language}${rule})`);
  for (const alt of result.alternatives)
    console.log(`  ${alt.intent} (${(alt.confidence * 100).toFixed(1)}%)`);
}

const splitOptions = {
  data: { type: "string" },
  holdout: { type: "string" },
  seed: { type: "string", default: "1" },
} as const;

/** Reads the CSV and, with --holdout, keeps the training part or the held-out part of a stratified split. */
function examplesFrom(
  values: { data?: string; holdout?: string; seed: string },
  part: "train" | "heldOut",
): Example[] {
  if (!values.data) throw new ValidationError("--data <csv> is required");
  const all = readExamplesCsv(values.data);
  if (values.holdout === undefined) return all;
  const fraction = Number(values.holdout);
  if (!(fraction > 0 && fraction < 1))
    throw new ValidationError("--holdout must be a fraction between 0 and 1");
  const split = stratifiedSplit(
    all.map((e) => e.label),
    fraction,
    Number(values.seed),
  );
  return split[part].map((i) => all[i] as Example);
}

const trainOptions = {
  ...splitOptions,
  out: { type: "string" },
  c: { type: "string" },
  cv: { type: "string" },
  han: { type: "string" },
  "han-runs": { type: "string" },
  "han-across": { type: "string" },
  words: { type: "string" },
  subwords: { type: "string" },
  "max-df": { type: "string" },
  fixed: { type: "boolean" },
} as const;

/** The dimensions fixed on the command line; selection searches the rest. */
function forcedFrom(values: {
  c?: string | undefined;
  han?: string | undefined;
  "han-runs"?: string | undefined;
  "han-across"?: string | undefined;
  words?: string | undefined;
  subwords?: string | undefined;
  "max-df"?: string | undefined;
}): Forced {
  const forced: Forced = {};
  if (values.c !== undefined) {
    const c = Number(values.c);
    if (!(c > 0 && c <= 1000)) throw new ValidationError("--c must be a number above 0 (at most 1000)");
    forced.c = c;
  }
  if (values["max-df"] !== undefined) {
    const maxDf = Number(values["max-df"]);
    if (!(maxDf > 0 && maxDf <= 1))
      throw new ValidationError("--max-df must be a fraction above 0, at most 1");
    forced.maxDf = maxDf;
  }
  if (values.han !== undefined) forced.hanNgrams = rangeFlag("--han", values.han, 6);
  if (values.subwords !== undefined) forced.subwordNgrams = rangeFlag("--subwords", values.subwords, 6);
  if (values.words !== undefined) {
    if (values.words !== "1" && values.words !== "2") throw new ValidationError("--words must be 1 or 2");
    forced.wordNgrams = Number(values.words);
  }
  if (values["han-runs"] !== undefined) {
    if (values["han-runs"] !== "yes" && values["han-runs"] !== "no")
      throw new ValidationError("--han-runs must be yes or no");
    forced.hanRuns = values["han-runs"] === "yes";
  }
  if (values["han-across"] !== undefined) {
    if (values["han-across"] !== "yes" && values["han-across"] !== "no")
      throw new ValidationError("--han-across must be yes or no");
    forced.hanAcross = values["han-across"] === "yes";
  }
  return forced;
}

/** "1-3" → [1, 3], both whole numbers from 1 to `max`, the first not above the second. */
function rangeFlag(flag: string, text: string, max: number): [number, number] {
  const match = /^(\d)-(\d)$/.exec(text);
  const low = Number(match?.[1]);
  const high = Number(match?.[2]);
  if (!match || low < 1 || high > max || low > high)
    throw new ValidationError(`${flag} must be a range like 1-3 (whole numbers from 1 to ${max})`);
  return [low, high];
}

export function trainCommand(args: string[]): void {
  const { values } = parseArgs({ args, options: trainOptions });
  if (!values.out) throw new ValidationError("--out <model.json> is required");
  const examples = examplesFrom(values, "train");
  const forced = forcedFrom(values);
  let k = defaultFolds(examples.length);
  if (values.cv !== undefined) {
    k = Number(values.cv);
    if (!Number.isInteger(k) || k < 2 || k > 20)
      throw new ValidationError("--cv must be a whole number from 2 to 20");
  }
  const started = performance.now();
  let options = applyForced(DEFAULT_TRAINING, forced);
  if (!values.fixed) {
    const selection = selectSetting(examples, DEFAULT_TRAINING, forced, k, selectionProgress());
    printSelection(selection);
    options = selectedOptions(options, selection);
  } else if (values.cv !== undefined) {
    const cv = crossValidate(examples, options, k);
    console.error(
      `${k}-fold cross-validated accuracy of ${settingName(options)}: ${cv.mean} (folds ${cv.folds.join(", ")})`,
    );
  }
  const model = trainModel(examples, options, progressPrinter());
  const json = model.toJson();
  writeFileSync(values.out, json);
  const seconds = (performance.now() - started) / 1000;
  console.error(
    `trained on ${examples.length} examples, ${model.labels.length} labels in ${seconds.toFixed(1)} s; ` +
      `temperature ${model.temperature}; ${(json.length / 1024).toFixed(0)} KiB → ${values.out}`,
  );
  if (values.holdout !== undefined) {
    const report = evaluateModel(new IntentClassifier(model), examplesFrom(values, "heldOut"));
    console.error(
      `held-out ${values.holdout}: accuracy ${report.accuracy}, macro-F1 ${report.macroF1} (n=${report.n})`,
    );
  }
}

/** A progress bar on a terminal (redrawn in place), a line per finished setting otherwise. */
function selectionProgress(): (p: SelectionProgress) => void {
  const terminal = process.stderr.isTTY === true;
  return ({ trial, name, fold, folds }) => {
    if (terminal) {
      const width = 20;
      const filled = Math.round((fold / folds) * width);
      process.stderr.write(
        `\r  setting ${String(trial).padStart(2)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] fold ${fold}/${folds}  ${name}\u001b[K`,
      );
      if (fold === folds) process.stderr.write("\r\u001b[K");
    } else if (fold === folds) {
      console.error(`  setting ${trial}: ${name} done`);
    }
  };
}

function printSelection({ k, trials, best }: Selection): void {
  console.error(`\n${k}-fold cross-validation, ${trials.length} settings (mean, then each fold):`);
  for (const trial of trials) {
    const mark = trial === best ? "→" : " ";
    console.error(
      `${mark} ${trial.cv.mean.toFixed(4)}  ${trial.name}   (${trial.cv.folds.map((f) => f.toFixed(3)).join(" ")})`,
    );
  }
  const first = trials[0] as Trial;
  const gain = best.cv.mean - first.cv.mean;
  console.error(
    `chosen: ${best.name} (${best.cv.mean.toFixed(4)}; ${gain >= 0 ? "+" : ""}${gain.toFixed(4)} over the first setting)\n`,
  );
}

/** Progress on stderr, one line per phase step at most every 10%, so long runs show they are alive. */
function progressPrinter(): (p: TrainProgress) => void {
  let lastLine = "";
  return ({ phase, done, total }) => {
    const tenth = Math.floor((done / total) * 10);
    const line = `${phase} ${tenth * 10}%`;
    if (line === lastLine || (done !== total && done % Math.max(1, Math.floor(total / 10)) !== 0)) return;
    lastLine = line;
    console.error(`  ${phase}: ${done}/${total}`);
  };
}

export function evalCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { ...splitOptions, model: { type: "string" }, json: { type: "boolean" } },
  });
  const examples = examplesFrom(values, "heldOut");
  const classifier = values.model
    ? new IntentClassifier(LinearModel.fromJson(readFileSync(values.model, "utf8")))
    : loadBrain().classifier;
  const report = evaluateModel(classifier, examples);
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  printReport(report);
}

/** Classifies every example, timing each call (after a warm-up pass, as a long-lived Lambda would run). */
export function evaluateModel(classifier: IntentClassifier, examples: readonly Example[]): EvalReport {
  for (const e of examples.slice(0, 200)) classifier.classify(e.text);
  const outcomes: Outcome[] = examples.map((e) => {
    const started = process.hrtime.bigint();
    const result = classifier.classify(e.text);
    const latencyUs = Number(process.hrtime.bigint() - started) / 1000;
    return { truth: e.label, predicted: result.intent, confidence: result.confidence, latencyUs };
  });
  return evaluate(outcomes);
}

function printReport(report: EvalReport): void {
  console.log(`n=${report.n}  accuracy=${report.accuracy}  macroF1=${report.macroF1}  ECE=${report.ece}`);
  console.log(`latency p50 ${report.latencyUsP50} µs, p99 ${report.latencyUsP99} µs`);
  const rows = Object.entries(report.perLabel).sort((a, b) => a[1].f1 - b[1].f1);
  console.log("label                          P      R      F1     n");
  for (const [label, m] of rows) {
    console.log(
      `${label.padEnd(28)} ${m.precision.toFixed(3)}  ${m.recall.toFixed(3)}  ${m.f1.toFixed(3)}  ${String(m.support).padStart(4)}`,
    );
  }
  const pairs = report.confusedPairs.slice(0, 15);
  if (pairs.length === 0) return;
  console.log("\nmost confused pairs (a → b: messages of a taken for b)");
  for (const { pair, counts, total } of pairs) {
    console.log(
      `${String(total).padStart(4)}  ${pair[0]} → ${pair[1]}: ${counts[0]}, ${pair[1]} → ${pair[0]}: ${counts[1]}`,
    );
  }
}
