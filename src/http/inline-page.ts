import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED_DIR } from "../config.ts";

/**
 * The pages scripts/build-web.ts builds from web/ (the web chat, the agent console): each one HTML
 * document whose scripts and styles are inline, allowed by hash, so the Content-Security-Policy
 * allows nothing else. The hashes are computed at build time, into generated/web/pages.json.
 */

/** Each page's inline blocks, as CSP source expressions (`'sha256-…'`). */
export type PageManifest = Record<string, { scripts: string[]; styles: string[] }>;

/** JSON that is safe inside a script element and pure ASCII (so the page's bytes do not depend on a charset). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** JSON for a data block (`type="application/json"`, never run, never hashed): only what could end the element is escaped. */
export function dataJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `'sha256-…'` of a block's exact text, as CSP wants it (base64 of the SHA-256 of its UTF-8). */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

export interface PagePolicy {
  scripts: readonly string[];
  styles: readonly string[];
  /** Origins that may show the page in a frame; none: no one may. */
  frameAncestors?: readonly string[];
}

/** The policy for a page whose only scripts and styles are the blocks with these hashes. */
export function pageCsp(policy: PagePolicy): string {
  const ancestors = policy.frameAncestors ?? [];
  return [
    "default-src 'none'",
    `script-src ${policy.scripts.join(" ")}`,
    `style-src ${policy.styles.join(" ")}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(" ") : "'none'"}`,
  ].join("; ");
}

export interface BuiltPage {
  html: string;
  scripts: string[];
  styles: string[];
}

/** A built page and its hashes (`npm run build:web`); a function without them cannot serve, so it throws. */
export function builtPage(name: string, dir: string = join(GENERATED_DIR, "web")): BuiltPage {
  let html: string;
  let manifest: PageManifest;
  try {
    html = readFileSync(join(dir, `${name}.html`), "utf8");
    manifest = JSON.parse(readFileSync(join(dir, "pages.json"), "utf8")) as PageManifest;
  } catch {
    throw new Error(`${dir} has no built ${name} page: run "npm run build:web"`);
  }
  const hashes = manifest[name];
  if (!hashes) throw new Error(`${dir}/pages.json has no ${name} page: run "npm run build:web"`);
  return { html, scripts: hashes.scripts, styles: hashes.styles };
}
