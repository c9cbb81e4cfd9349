/**
 * `npm run bench`: measures what the issues ask for and prints one table; the same figures go to
 * bench/results.json with the machine they were taken on. Timings are for reading, never asserted.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { Converter } from "opencc-js";
import { readExamplesCsv } from "../src/cli/csv.ts";
import { GENERATED_DIR } from "../src/config.ts";
import { loadContent } from "../src/content-loader.ts";
import { scriptOf } from "../src/core/language.ts";
import { stratifiedSplit } from "../src/core/random.ts";
import type { Example } from "../src/core/train.ts";
import {
  benchGuardline,
  benchNlpJs,
  benchSelection,
  type ClassifierResult,
  type EvalSet,
  type SelectionResult,
} from "./classifier.bench.ts";
import { benchPages, printPages } from "./pages.bench.ts";
import { benchRuntime, type RuntimeResult } from "./runtime.bench.ts";
import { benchSafety } from "./safety.bench.ts";

const ROOT = join(import.meta.dirname, "..");
// The SDK warns once on Node 20 about its 2027 releases; it is noise in the table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// EMF lines (two per message) would bury the table; `npm run load` measures their bytes.
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
const DATASETS = join(ROOT, "..", "shared", "datasets");
const skipNlpJs = process.argv.includes("--no-nlpjs");
const skipClassifiers = process.argv.includes("--runtime-only");

function holdOut(
  examples: Example[],
  fraction: number,
  seed: number,
): { train: Example[]; heldOut: Example[] } {
  const split = stratifiedSplit(
    examples.map((e) => e.label),
    fraction,
    seed,
  );
  return {
    train: split.train.map((i) => examples[i] as Example),
    heldOut: split.heldOut.map((i) => examples[i] as Example),
  };
}

const selections: SelectionResult[] = [];

/**
 * Each data set three ways: Guardline with the fixed defaults, Guardline with the setting model
 * selection chooses on the training data (its cross-validated figures go to `selections`), NLP.js.
 */
async function classifierSuites(): Promise<ClassifierResult[]> {
  const results: ClassifierResult[] = [];
  const run = async (dataset: string, train: Example[], evalSets: EvalSet[]) => {
    console.error(`· ${dataset}: guardline`);
    results.push(await benchGuardline(dataset, train, evalSets));
    console.error(`· ${dataset}: model selection`);
    const { result, options } = benchSelection(dataset, train);
    selections.push(result);
    results.push(await benchGuardline(dataset, train, evalSets, options, "guardline selected"));
    if (skipNlpJs) return;
    console.error(`· ${dataset}: nlp.js`);
    results.push(await benchNlpJs(dataset, train, evalSets));
  };

  const product = loadContent().examples;
  const fixture = (name: string) => readExamplesCsv(join(ROOT, "tests", "fixtures", "classifier", name));
  const regional = fixture("heldout-regional.csv");
  const byScript = (script: ReturnType<typeof scriptOf>) =>
    regional.filter((e) => scriptOf(e.text) === script);
  await run("product", product, [
    { name: "heldout", examples: fixture("heldout.csv") },
    { name: "hard", examples: fixture("heldout-hard.csv") },
    { name: "regional", examples: regional },
    { name: "regional·Hans", examples: byScript("Simplified") },
    { name: "regional·Hant", examples: byScript("Traditional") },
    { name: "regional·Latin", examples: byScript("Latin") },
    // Every message is out of scope: accuracy is out-of-scope recall on brands never trained on.
    { name: "unseen brands (OOS recall)", examples: fixture("heldout-brands.csv") },
  ]);

  const banking = holdOut(readExamplesCsv(join(DATASETS, "banking77", "train.csv")), 0.1, 1);
  await run("banking77", banking.train, [{ name: "val10%", examples: banking.heldOut }]);

  const toTraditional = Converter({ from: "cn", to: "tw" });
  const smpTrain = readExamplesCsv(join(DATASETS, "smp2017", "train.csv"));
  const smpDev = readExamplesCsv(join(DATASETS, "smp2017", "dev.csv"));
  await run("smp2017", smpTrain, [
    { name: "dev", examples: smpDev },
    { name: "dev→Hant", examples: smpDev.map((e) => ({ ...e, text: toTraditional(e.text) })) },
  ]);
  // Selection on all the labelled SMP2017 data (no held-out figure: it is what a user would train on).
  console.error("· smp2017 train+dev: model selection");
  selections.push(benchSelection("smp2017 train+dev", [...smpTrain, ...smpDev]).result);
  return results;
}

function printSelections(rows: readonly SelectionResult[]): void {
  console.log(
    "\nModel selection (k-fold cross-validation on the training data; fixed = C 2 and the default features)\n",
  );
  for (const r of rows) {
    const gain = r.selectedCv - r.fixedCv;
    console.log(
      `  ${r.dataset.padEnd(18)} n=${String(r.examples).padEnd(5)} ${r.k}-fold  fixed ${r.fixedCv.toFixed(4)}  selected ${r.selectedCv.toFixed(4)} (${gain >= 0 ? "+" : ""}${gain.toFixed(4)})  ${r.trials} settings in ${r.seconds} s  → ${r.chosen}`,
    );
  }
}

function printTable(rows: ClassifierResult[]): void {
  const header = ["dataset", "system", "train s", "model KiB", "load ms", "accuracy", "p50 µs", "p99 µs"];
  const lines = rows.map((r) => [
    r.dataset,
    r.system,
    r.trainSeconds.toFixed(2),
    (r.modelBytes / 1024).toFixed(0),
    r.loadMs.toFixed(1),
    Object.entries(r.accuracy)
      .map(([set, value]) => `${set} ${value.toFixed(4)}`)
      .join(", "),
    r.latencyUsP50.toFixed(1),
    r.latencyUsP99.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

/**
 * A fixed memory-bound loop (sparse multiply-adds, like prediction's inner loop), timed before and
 * after the suites: this machine's speed drifts by a third over minutes, so figures are comparable
 * between runs only relative to this.
 */
function referenceNsPerOp(): number {
  const entries = 1 << 18;
  const labels = new Uint8Array(entries).map((_, i) => (i * 31) % 77);
  const weights = new Float32Array(entries).map((_, i) => (i % 13) - 6);
  const sums = new Float64Array(77);
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < 40; pass++) {
    for (let k = 0; k < entries; k++)
      sums[labels[k] as number] = (sums[labels[k] as number] as number) + (weights[k] as number) * 0.1;
  }
  return Number(process.hrtime.bigint() - started) / (40 * entries);
}

function printRuntime(r: RuntimeResult): void {
  console.log(
    `\nRuntime: POST /web/messages through the local server (embedded store), ${r.messages} messages\n`,
  );
  console.log(`  end to end          p50 ${r.endToEndMsP50} ms   p99 ${r.endToEndMsP99} ms`);
  console.log(
    `  DynamoDB alone      p50 ${r.dynamoFloorMsP50} ms   p99 ${r.dynamoFloorMsP99} ms  (the same requests)`,
  );
  console.log(`  ratio at p50        ${r.ratioP50}×`);
  console.log(`  requests/message    ${r.requestsPerMessage} (${r.requests.join(", ")})`);
  const d = r.discord;
  console.log(
    `\nDiscord: POST /webhooks/discord through the local server, ${d.interactions} signed /ask interactions\n`,
  );
  console.log(
    `  latency             p50 ${d.latencyMsP50} ms   p99 ${d.latencyMsP99} ms (Discord allows 3,000 ms); deferred ${d.deferred}`,
  );
  const h = r.handoff;
  console.log(`\nHandoff: agent API through the local server, ${h.waiting} conversations waiting\n`);
  console.log(
    `  queue listing       p50 ${h.queueListingMsP50} ms   p99 ${h.queueListingMsP99} ms (all ${h.waiting})`,
  );
  console.log(`  claim               p50 ${h.claimMsP50} ms   p99 ${h.claimMsP99} ms (${h.claims} claims)`);
  const m = r.meta;
  console.log(
    `\nWhatsApp: POST /webhooks/meta through the local server, ${m.messages} signed text messages\n`,
  );
  console.log(`  latency             p50 ${m.latencyMsP50} ms   p99 ${m.latencyMsP99} ms`);
  console.log(`  Send API calls      ${m.outboundCallsPerMessage} per text message`);
  const t = r.telegram;
  console.log(`\nTelegram: POST /webhooks/telegram through the local server, ${t.updates} text updates\n`);
  console.log(`  latency             p50 ${t.latencyMsP50} ms   p99 ${t.latencyMsP99} ms`);
  console.log(
    `  outbound HTTP calls ${t.outboundCallsPerMessage} per text message, ${t.outboundCallsPerButton} per button press`,
  );
  console.log(
    "\nLambda bundles (esbuild as serverless.yml configures it; cold load = fresh node importing it, code apart from model and knowledge; targets ≤ 40× for bot and agent functions, ≤ 10× for pages and health)\n",
  );
  for (const b of r.bundles) {
    const kib = `${(b.bytes / 1024).toFixed(0)} KiB`;
    console.log(
      `  ${b.functionName.padEnd(20)} ${kib.padStart(9)}   ${`${b.codeLoadMs} ms = ${b.ratioToEmpty}× empty`.padEnd(26)} ${(b.contentLoadMs ? `+ content ${b.contentLoadMs} ms` : "").padEnd(22)} ${b.platformSdks.join(", ") || "no platform SDK"}`,
    );
  }
  console.log(`  ${"(empty bundle)".padEnd(20)} ${"".padStart(9)}   ${r.emptyBundleColdLoadMs} ms`);
}

function printSafety(s: ReturnType<typeof benchSafety>): void {
  console.log(
    "\nSafety (tests/fixtures/safety; targets: 0 official called fake, recall ≥ 0.98 / ≥ 0.99, FP ≤ 0.01)\n",
  );
  for (const r of s.results) {
    const c = r.contacts;
    const t = r.secrets;
    console.log(
      `  ${r.corpus.padEnd(18)} contacts n=${c.n}: official called fake ${c.officialCalledFake}, impersonation recall ${c.impersonationRecall}, lookalikes named ${c.lookalikeNamed}, official precision ${c.officialPrecision}`,
    );
    console.log(
      `  ${"".padEnd(18)} secrets n=${t.n}: recall ${t.recall}, right kind ${t.kindAccuracy}; false positives ${t.falsePositiveRate} of ${t.ordinary} ordinary messages`,
    );
  }
  console.log(
    `  inspecting one message (secrets + contacts): p50 ${s.inspectUsP50} µs, p99 ${s.inspectUsP99} µs`,
  );
  console.log(
    `  screening one agent reply (normalise + secrets + contacts): p50 ${s.screenUsP50} µs, p99 ${s.screenUsP99} µs`,
  );
}

const referenceBefore = referenceNsPerOp();
const classifiers = skipClassifiers ? [] : await classifierSuites();
console.error("· safety");
const safetyResult = benchSafety();
console.error("· runtime");
const runtimeResult = await benchRuntime();
const reference = (referenceBefore + referenceNsPerOp()) / 2;
if (!skipClassifiers) {
  console.log("\nIntent classification (accuracy on held-out data; latency per message, after warm-up)\n");
  printTable(classifiers);
  printSelections(selections);
}
printSafety(safetyResult);
printRuntime(runtimeResult);
const pagesResult = benchPages();
printPages(pagesResult);
const productModel = statSync(join(GENERATED_DIR, "model.json")).size;
console.log(`\nproduct model on disk: ${(productModel / 1024).toFixed(0)} KiB (generated/model.json)`);
console.log(`machine reference: ${reference.toFixed(2)} ns per sparse multiply-add (lower is faster)`);

const cpu = cpus()[0];
const results = {
  takenAt: new Date().toISOString(),
  machine: {
    cpu: cpu?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    referenceNsPerMultiplyAdd: Number(reference.toFixed(3)),
  },
  // --runtime-only keeps the classifier figures of the last full run, saying when they were taken.
  classifiers: skipClassifiers ? previousClassifiers() : classifiers,
  selections: skipClassifiers ? (previous().selections ?? []) : selections,
  ...(skipClassifiers ? { classifiersTakenAt: previousTakenAt() } : {}),
  safety: safetyResult,
  runtime: runtimeResult,
  pages: pagesResult,
};
function previous(): {
  takenAt?: string;
  classifiersTakenAt?: string;
  classifiers?: ClassifierResult[];
  selections?: SelectionResult[];
} {
  try {
    return JSON.parse(readFileSync(join(ROOT, "bench", "results.json"), "utf8"));
  } catch {
    return {};
  }
}
function previousClassifiers(): ClassifierResult[] {
  return previous().classifiers ?? [];
}
function previousTakenAt(): string | undefined {
  const last = previous();
  return last.classifiersTakenAt ?? last.takenAt;
}

mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwritten to bench/results.json");
