import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { brandExamples, parseBrands, pinyinExamples } from "./core/augment.ts";
import { type CheckedContent, type ContentFile, checkContent } from "./core/content-checks.ts";

/** Repository root, from this file's location (src/). */
export const ROOT = join(import.meta.dirname, "..");
export const CONTENT_DIR = join(ROOT, "content");
/** Written by `cli registry:sign`, next to contacts.yaml. */
export const REGISTRY_SIGNATURE_FILE = "contacts.signature.yaml";

function readYaml(path: string): ContentFile {
  const text = readFileSync(path, "utf8");
  try {
    return { path: relative(ROOT, path), data: parse(text) };
  } catch (error) {
    throw new Error(`${relative(ROOT, path)}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads and checks every file under content/ (YAML is for people; the runtime gets the generated
 * JSON). The training examples are the intents' utterances, then what the build derives from them
 * (core/augment.ts): their toneless pinyin, and out-of-scope messages from brands.yaml.
 */
export function loadContent(dir: string = CONTENT_DIR): CheckedContent {
  const checked = readContent(dir);
  const brandsPath = join(dir, "brands.yaml");
  const brands = existsSync(brandsPath)
    ? brandExamples(parseBrands(readYaml(brandsPath).data, relative(ROOT, brandsPath)), "out_of_scope")
    : [];
  const written = new Set(checked.examples.map((e) => e.text.toLowerCase()));
  return {
    ...checked,
    examples: [
      ...checked.examples,
      ...pinyinExamples(checked.examples),
      ...brands.filter((e) => !written.has(e.text.toLowerCase())),
    ],
  };
}

function readContent(dir: string): CheckedContent {
  const intentDir = join(dir, "intents");
  const signaturePath = join(dir, REGISTRY_SIGNATURE_FILE);
  return checkContent({
    ...(existsSync(signaturePath) ? { contactsSignature: readYaml(signaturePath) } : {}),
    intents: readdirSync(intentDir)
      .filter((name) => name.endsWith(".yaml"))
      .sort()
      .map((name) => readYaml(join(intentDir, name))),
    contacts: readYaml(join(dir, "contacts.yaml")),
    hours: readYaml(join(dir, "hours.yaml")),
    messages: readYaml(join(dir, "messages.yaml")),
    cannedReplies: readYaml(join(dir, "canned-replies.yaml")),
  });
}

/** Files whose bytes decide the product model and bundle: content and the code that trains on it. */
const SOURCE_DIRS = ["content", "content/intents", "src/core"];

/** Hash of everything the generated files are built from; a mismatch means they are stale. */
export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const dir of SOURCE_DIRS) {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      if (!/\.(ya?ml|ts)$/.test(name)) continue;
      hash
        .update(`${dir}/${name}\0`)
        .update(readFileSync(join(ROOT, dir, name)))
        .update("\0");
    }
  }
  hash.update(readFileSync(join(ROOT, "package-lock.json")));
  return hash.digest("hex").slice(0, 16);
}
