/**
 * Build step: web/ → generated/web/, the pages as the handlers serve them. For each page its .html
 * file is the document; the stylesheet and the script it links are bundled and minified by esbuild
 * and put inline, its `#config` data block gets the page's strings from content/ui.yaml, and every
 * `data-t…` element gets its English text (what shows before the script picks a language). The
 * CSP hashes of the inline blocks go to generated/web/pages.json. The widget is bundled on its own.
 * Skips the work when the outputs are newer than every source; `--force` rebuilds anyway. Runs
 * before tests, `npm start`, the bench and packaging.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { parse } from "yaml";
import * as z from "zod/mini";
import { WEB_LIMITS } from "../src/channels/web/web.schemas.ts";
import { GENERATED_DIR } from "../src/config.ts";
import { AGENT_TEXT_MAX_CHARS } from "../src/handoff/limits.ts";
import { cspHash, dataJson, escapeHtml, type PageManifest, scriptJson } from "../src/http/inline-page.ts";
import { validate } from "../src/validate.ts";
import { CHAT_KEYS } from "../web/chat/strings.ts";
import { CONSOLE_KEYS } from "../web/console/strings.ts";
import { LOCALES } from "../web/shared/locale.ts";
import { WIDGET_KEYS } from "../web/widget/strings.ts";

const ROOT = join(import.meta.dirname, "..");
const WEB = join(ROOT, "web");
const UI_STRINGS = join(ROOT, "content", "ui.yaml");
const OUT = join(GENERATED_DIR, "web");

const PAGES = [
  { name: "chat", html: join(WEB, "chat", "chat.html"), keys: CHAT_KEYS, maxChars: WEB_LIMITS.textChars },
  {
    name: "console",
    html: join(WEB, "console", "console.html"),
    keys: CONSOLE_KEYS,
    maxChars: AGENT_TEXT_MAX_CHARS,
  },
] as const;
const WIDGET = join(WEB, "widget", "widget.ts");
const OUTPUTS = [
  ...PAGES.map((p) => join(OUT, `${p.name}.html`)),
  join(OUT, "widget.js"),
  join(OUT, "pages.json"),
];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

const localized = z.strictObject({ "zh-Hans": z.string(), "zh-Hant": z.string(), en: z.string() });
const uiSchema = z.strictObject({
  chat: z.record(z.string(), localized),
  console: z.record(z.string(), localized),
  widget: z.record(z.string(), localized),
});

/** One page's strings by locale, with exactly the keys the page's code names. */
function pageStrings(
  section: Record<string, z.infer<typeof localized>>,
  keys: readonly string[],
  page: string,
) {
  const missing = keys.filter((k) => !Object.hasOwn(section, k));
  const unknown = Object.keys(section).filter((k) => !keys.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `content/ui.yaml ${page}: ${[missing.length ? `missing ${missing.join(", ")}` : "", unknown.length ? `unknown ${unknown.join(", ")}` : ""].filter(Boolean).join("; ")}`,
    );
  }
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, Object.fromEntries(keys.map((k) => [k, section[k]?.[locale] ?? ""]))]),
  ) as Record<(typeof LOCALES)[number], Record<string, string>>;
}

async function bundleScript(
  entry: string,
  extra: { loader?: Record<string, "text">; define?: Record<string, string> } = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    charset: "ascii",
    legalComments: "none",
    ...extra,
    write: false,
    logLevel: "warning",
  });
  const text = result.outputFiles[0]?.text ?? "";
  if (/<\/script/i.test(text)) throw new Error(`${entry}: the bundle contains "</script"`);
  return text.trim();
}

async function bundleStyle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    charset: "ascii",
    write: false,
    logLevel: "warning",
  });
  const text = result.outputFiles[0]?.text ?? "";
  if (/<\/style/i.test(text)) throw new Error(`${entry}: the stylesheet contains "</style"`);
  return text.trim();
}

const ATTRIBUTES: Record<string, string> = {
  label: "aria-label",
  placeholder: "placeholder",
  title: "title",
};

/**
 * Every `data-t` element gets the English string as its text, and every `data-t-label`,
 * `-placeholder` and `-title` its attribute. The HTML may already hold the English text (so the file
 * reads, and lints, as a page): then it must be exactly content/ui.yaml's, so the two cannot drift.
 */
function fillStrings(html: string, en: Record<string, string>, page: string): string {
  const text = (key: string, written: string | undefined) => {
    const value = en[key];
    if (value === undefined)
      throw new Error(`web/${page}: data-t names "${key}", which content/ui.yaml lacks`);
    if (written && written !== value && written !== escapeHtml(value)) {
      throw new Error(`web/${page}: "${key}" is "${written}" in the HTML but "${value}" in content/ui.yaml`);
    }
    return escapeHtml(value);
  };
  return html
    .replace(
      /(<([a-z0-9]+)\b[^>]*\sdata-t="([\w-]+)"[^>]*>)([^<]*)(<\/\2>)/g,
      (_, open: string, _tag, key: string, written: string, close: string) =>
        `${open}${text(key, written)}${close}`,
    )
    .replace(/<[a-z0-9]+\b[^>]*\sdata-t-(?:label|placeholder|title)="[^>]*>/g, (tag: string) => {
      let out = tag;
      for (const [, kind = "", key = ""] of tag.matchAll(/\sdata-t-(label|placeholder|title)="([\w-]+)"/g)) {
        const attribute = ATTRIBUTES[kind] ?? kind;
        const written = new RegExp(`\\s${attribute}="([^"]*)"`).exec(out)?.[1];
        const value = text(key, written);
        out = written === undefined ? out.replace(/>$/, ` ${attribute}="${value}">`) : out;
      }
      return out;
    });
}

async function buildPage(page: (typeof PAGES)[number], strings: Record<string, z.infer<typeof localized>>) {
  const dir = dirname(page.html);
  const byLocale = pageStrings(strings, page.keys, page.name);
  const scripts: string[] = [];
  const styles: string[] = [];
  let html = readFileSync(page.html, "utf8");
  // Replacement functions, not strings: a bundle's "$&" must stay as written.
  for (const [, href] of html.matchAll(/<link rel="stylesheet" href="([\w./-]+\.css)">/g)) {
    const css = await bundleStyle(join(dir, href as string));
    styles.push(css);
    html = html.replace(`<link rel="stylesheet" href="${href}">`, () => `<style>${css}</style>`);
  }
  for (const [, src] of html.matchAll(/<script src="([\w./-]+\.ts)"><\/script>/g)) {
    const js = await bundleScript(join(dir, src as string));
    scripts.push(js);
    html = html.replace(`<script src="${src}"></script>`, () => `<script>${js}</script>`);
  }
  const config = dataJson({ maxChars: page.maxChars, strings: byLocale });
  const block = '<script type="application/json" id="config"></script>';
  if (!html.includes(block)) throw new Error(`web/${page.name}: no ${block}`);
  html = fillStrings(
    html.replace(block, () => block.replace("></", `>${config}</`)),
    byLocale.en,
    page.name,
  );
  writeFileSync(join(OUT, `${page.name}.html`), html);
  return { scripts: scripts.map(cspHash), styles: styles.map(cspHash), bytes: Buffer.byteLength(html) };
}

const sources = Math.max(
  newest(WEB),
  newest(UI_STRINGS),
  newest(join(ROOT, "package-lock.json")),
  newest(import.meta.filename),
);
const upToDate = OUTPUTS.every((path) => existsSync(path) && statSync(path).mtimeMs >= sources);
if (process.argv.includes("--force") || !upToDate) {
  const started = performance.now();
  mkdirSync(OUT, { recursive: true });
  const ui = validate(uiSchema, parse(readFileSync(UI_STRINGS, "utf8")), "content/ui.yaml");
  const manifest: PageManifest = {};
  const sizes: string[] = [];
  for (const page of PAGES) {
    const { bytes, ...hashes } = await buildPage(page, page.name === "chat" ? ui.chat : ui.console);
    manifest[page.name] = hashes;
    sizes.push(`${page.name}.html ${bytes}`);
  }
  const widgetStrings = pageStrings(ui.widget, WIDGET_KEYS, "widget");
  const widget = await bundleScript(WIDGET, {
    loader: { ".css": "text" },
    define: { WIDGET_STRINGS: scriptJson(widgetStrings) },
  });
  writeFileSync(join(OUT, "widget.js"), `${widget}\n`);
  sizes.push(`widget.js ${Buffer.byteLength(widget) + 1}`);
  writeFileSync(join(OUT, "pages.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  console.error(
    `built generated/web/ (${sizes.join(", ")} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
