/**
 * Build step: web/ → generated/console/insights.{js,css}, the console's Insights view bundled and
 * minified by esbuild (Chart.js tree-shaken in). Skips the work when the outputs are newer than every
 * source and the lockfile; `--force` rebuilds anyway. Runs before tests, `npm start` and packaging.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { GENERATED_DIR } from "../src/config.ts";

const ROOT = join(import.meta.dirname, "..");
const outdir = join(GENERATED_DIR, "console");
const outputs = [join(outdir, "insights.js"), join(outdir, "insights.css")];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(join(ROOT, "web")), statSync(join(ROOT, "package-lock.json")).mtimeMs);
const upToDate = outputs.every((path) => existsSync(path) && statSync(path).mtimeMs >= sources);
if (process.argv.includes("--force") || !upToDate) {
  const started = performance.now();
  await build({
    entryPoints: { insights: join(ROOT, "web", "console", "insights.ts") },
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    charset: "ascii",
    legalComments: "none",
    outdir,
    logLevel: "warning",
  });
  await build({
    entryPoints: { insights: join(ROOT, "web", "console", "insights.css") },
    bundle: true,
    minify: true,
    charset: "ascii",
    outdir,
    logLevel: "warning",
  });
  const bytes = outputs.map((path) => statSync(path).size);
  console.error(
    `built generated/console/ (${bytes.join(" + ")} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
