import { createHash } from "node:crypto";

/**
 * What the self-contained pages (web chat, agent console) share: their one inline script and one
 * inline style are allowed by hash, so the Content-Security-Policy allows nothing else.
 */

/** JSON that is safe inside a `<script>` and pure ASCII (so the hash does not depend on the charset). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `'sha256-…'` of a block's exact text, as CSP wants it (base64 of the SHA-256 of its UTF-8). */
function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The policy for a page whose only scripts and styles are these exact texts. */
export function inlinePageCsp(script: string | readonly string[], style: string | readonly string[]): string {
  const hashes = (texts: string | readonly string[]) =>
    (typeof texts === "string" ? [texts] : texts).map(cspHash).join(" ");
  return [
    "default-src 'none'",
    `script-src ${hashes(script)}`,
    `style-src ${hashes(style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The shield shown beside "official support" on both pages (inline SVG: the CSP allows no image hosts). */
export const SHIELD_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" ' +
  'd="M12 2 4 5v6c0 5.2 3.4 10 8 11 4.6-1 8-5.8 8-11V5l-8-3Zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 ' +
  '4.9-4.9 1.4 1.4-6.3 6.3Z"/></svg>';
