import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** The same check `npm run check` runs, with the rules in .dependency-cruiser.cjs. */
async function violations(paths: string[]): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(
    DEPCRUISE,
    [...paths, "--config", ".dependency-cruiser.cjs", "--output-type", "json"],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "{}" }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe("architecture", () => {
  it("keeps the import graph in one direction: no cycles, no platform code outside its channel folder", async () => {
    // Act
    const found = await violations(["src", "handlers"]);

    // Assess
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it("fails when the handoff imports a platform, a channel calls the handoff, or two modules import each other", async () => {
    // Prepare: probe modules that break three rules, removed afterwards
    const probes = {
      "src/handoff/architecture-probe.ts":
        'import { TelegramApi } from "../channels/telegram/telegram.api.ts";\nexport const probe = TelegramApi;\n',
      "src/channels/web/architecture-probe.ts":
        'import { handleInbound } from "../../handoff/inbound.ts";\nimport { other } from "./architecture-probe-2.ts";\nexport const probe = [handleInbound, other];\n',
      "src/channels/web/architecture-probe-2.ts":
        'import { probe } from "./architecture-probe.ts";\nexport const other = () => probe;\n',
    };
    for (const [path, text] of Object.entries(probes)) writeFileSync(join(ROOT, path), text);
    try {
      // Act
      const found = await violations(Object.keys(probes));

      // Assess
      const rules = new Set(found.map((v) => v.rule.name));
      expect(rules).toContain("middle-is-platform-free");
      expect(rules).toContain("channels-below-wiring");
      expect(rules).toContain("no-cycles");
    } finally {
      for (const path of Object.keys(probes)) rmSync(join(ROOT, path), { force: true });
    }
  }, 60_000);
});

/** Markup or a CSS rule inside a string of a TypeScript file: pages belong in web/ (README "Layout"). */
const MARKUP =
  /<\/?(?:!doctype|html|head|body|div|span|p|a|h[1-6]|style|script|svg|form|button|main|section|header|nav|ul|li|input|textarea|label|select|dialog|link|meta)\b[^>]*>/i;
const CSS_RULE = /[\w\])*:-]\s*\{\s*[a-z-]+\s*:\s*[^;{}]+;/i;

function stringsWithPages(file: string, text: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node) => {
    const pieces: string[] = [];
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) pieces.push(node.text);
    if (ts.isTemplateExpression(node)) {
      pieces.push(node.head.text + node.templateSpans.map((s) => `0${s.literal.text}`).join(""));
    }
    for (const piece of pieces) {
      if (MARKUP.test(piece) || CSS_RULE.test(piece)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${file}:${line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe("front-end code lives in web/", () => {
  it("leaves no HTML or CSS in a string of any module under src/ or handlers/", () => {
    // Act
    const found = ["src", "handlers"]
      .flatMap(typeScriptFiles)
      .flatMap((file) => stringsWithPages(file, readFileSync(join(ROOT, file), "utf8")));

    // Assess
    expect(found).toEqual([]);
  });

  it("finds markup and a stylesheet in strings, with or without substitutions, and not prose", () => {
    // Prepare
    const probe = [
      "const a = `<!doctype html><title>x</title>`;",
      'const b = "<p class=\\"notice\\">hi</p>";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the probe is TypeScript source with a substitution
      "const c = `.top { padding: ${1}px; color: red; }`;",
      'const d = "use a <b> value: x { y } and 3 < 4";',
      'const e = "GET /agent/{id}: {status: 200}";',
    ].join("\n");

    // Act
    const found = stringsWithPages("probe.ts", probe);

    // Assess
    expect(found).toEqual(["probe.ts:1", "probe.ts:2", "probe.ts:3"]);
  });
});
