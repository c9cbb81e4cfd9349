import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { IntentClassifier } from "./core/classifier.ts";
import { type Knowledge, knowledgeSchema } from "./core/content.ts";
import { LinearModel } from "./core/model.ts";
import { validate } from "./validate.ts";

/** Where `npm run build:model` writes the product model and the knowledge bundle. */
export const GENERATED_DIR = join(import.meta.dirname, "..", "generated");

export const knowledgeFileSchema = z.strictObject({ sourceHash: z.string(), knowledge: knowledgeSchema });

export interface Brain {
  classifier: IntentClassifier;
  knowledge: Knowledge;
  sourceHash: string;
}

/** Loads the generated model and knowledge bundle once; validated, since a bad bundle must stop a cold start. */
export function loadBrain(dir: string = GENERATED_DIR): Brain {
  const modelPath = join(dir, "model.json");
  const knowledgePath = join(dir, "knowledge.json");
  if (!existsSync(modelPath) || !existsSync(knowledgePath)) {
    throw new Error(`${dir} has no product model: run "npm run build:model"`);
  }
  const bundle = validate(
    knowledgeFileSchema,
    JSON.parse(readFileSync(knowledgePath, "utf8")),
    knowledgePath,
  );
  const model = LinearModel.fromJson(readFileSync(modelPath, "utf8"));
  if (model.training.sourceHash !== bundle.sourceHash) {
    throw new Error(
      `${dir}: model and knowledge bundle come from different builds: run "npm run build:model"`,
    );
  }
  return {
    classifier: new IntentClassifier(model),
    knowledge: bundle.knowledge,
    sourceHash: bundle.sourceHash,
  };
}
