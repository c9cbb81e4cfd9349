import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBrain } from "../config.ts";
import { IntentClassifier } from "../core/classifier.ts";
import { type EvalReport, evaluate, type Outcome } from "../core/metrics.ts";
import { LinearModel } from "../core/model.ts";
import { stratifiedSplit } from "../core/random.ts";
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
  console.log(`${result.intent} (${(result.confidence * 100).toFixed(1)}%, ${result.language})`);
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

export function trainCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { ...splitOptions, out: { type: "string" }, c: { type: "string" }, cv: { type: "string" } },
  });
  if (!values.out) throw new ValidationError("--out <model.json> is required");
  const examples = examplesFrom(values, "train");
  const c = values.c === undefined ? DEFAULT_TRAINING.c : Number(values.c);
  if (!(c > 0)) throw new ValidationError("--c must be a positive number");
  if (values.cv !== undefined) {
    const k = Number(values.cv);
    if (!Number.isInteger(k) || k < 2 || k > 20)
      throw new ValidationError("--cv must be a whole number from 2 to 20");
    const cv = crossValidate(examples, { ...DEFAULT_TRAINING, c }, k, (done, total) =>
      console.error(`  cross-validation: fold ${done}/${total}`),
    );
    console.error(`${k}-fold cross-validated accuracy at C ${c}: ${cv.mean} (folds ${cv.folds.join(", ")})`);
  }
  const started = performance.now();
  const model = trainModel(examples, { ...DEFAULT_TRAINING, c }, progressPrinter());
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
