/**
 * Build step: content/ → generated/model.json (the product classifier) and generated/knowledge.json
 * (answers, contacts, hours, interface strings). Skips the work when both are already built from the
 * same sources; `--force` rebuilds anyway. Runs before tests, the CLI, `npm start` and packaging.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED_DIR } from "../src/config.ts";
import { loadContent, sourceHash } from "../src/content-loader.ts";
import { selectedOptions, selectSetting } from "../src/core/select.ts";
import { DEFAULT_TRAINING, trainModel } from "../src/core/train.ts";

const modelPath = join(GENERATED_DIR, "model.json");
const knowledgePath = join(GENERATED_DIR, "knowledge.json");
const hash = sourceHash();

function builtHash(): string | undefined {
  if (!existsSync(modelPath) || !existsSync(knowledgePath)) return undefined;
  const bundle = JSON.parse(readFileSync(knowledgePath, "utf8")) as { sourceHash?: string };
  const model = JSON.parse(readFileSync(modelPath, "utf8")) as { training?: { sourceHash?: string } };
  return bundle.sourceHash === model.training?.sourceHash ? bundle.sourceHash : undefined;
}

if (!process.argv.includes("--force") && builtHash() === hash) {
  if (process.argv.includes("--verbose")) console.error(`generated/ is up to date (${hash})`);
} else {
  const started = performance.now();
  const { knowledge, examples } = loadContent();
  // The setting is chosen by cross-validation on the content, as `train` does for any data.
  const selection = selectSetting(examples, DEFAULT_TRAINING);
  const model = trainModel(examples, { ...selectedOptions(DEFAULT_TRAINING, selection), sourceHash: hash });
  mkdirSync(GENERATED_DIR, { recursive: true });
  writeFileSync(modelPath, model.toJson());
  writeFileSync(knowledgePath, JSON.stringify({ sourceHash: hash, knowledge }, null, 1));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(
    `built generated/ (${hash}): ${examples.length} utterances, ${model.labels.length} intents, ${seconds} s; ` +
      `chosen by ${selection.k}-fold cross-validation over ${selection.trials.length} settings: ` +
      `${selection.best.name} (${selection.best.cv.mean})`,
  );
}
