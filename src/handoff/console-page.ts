import { builtPage, pageCsp } from "../http/inline-page.ts";

/**
 * The agent console served at `GET /console`: web/console/ built by `npm run build:web` into one
 * document with its style and its two scripts (the console, and the Insights view with Chart.js)
 * inline, under a CSP that allows those blocks and nothing else. No site may frame it.
 */
export function consolePage(): { html: string; headers: Record<string, string> } {
  const page = builtPage("console");
  const csp = pageCsp({ scripts: page.scripts, styles: page.styles, frameAncestors: [] });
  return { html: page.html, headers: { "content-security-policy": csp, "x-frame-options": "DENY" } };
}
