import { builtPage, pageCsp } from "../../http/inline-page.ts";
import { WEB_LIMITS } from "./web.schemas.ts";

/**
 * The web chat page served at `GET /`: web/chat/ built by `npm run build:web` into one document with
 * its script and style inline, under a CSP that allows those two blocks and nothing else. The same
 * page runs inside the website widget (`GET /widget.js` opens `/?embed=1…` in an iframe): the sites
 * in `WEB_ALLOWED_ORIGINS` may frame it, no other may.
 */

/** The most characters a message may have (the text box's maxlength and the page's own check). */
export const CHAT_MAX_CHARS: number = WEB_LIMITS.textChars;

export interface PageResponse {
  html: string;
  headers: Record<string, string>;
}

/** The page and its headers for this deployment's allowed embedding origins. */
export function chatPage(allowedOrigins: readonly string[]): PageResponse {
  const page = builtPage("chat");
  const csp = pageCsp({ scripts: page.scripts, styles: page.styles, frameAncestors: allowedOrigins });
  // X-Frame-Options has no allow list: it is sent only when no site may frame the page.
  const framing: Record<string, string> = allowedOrigins.length === 0 ? { "x-frame-options": "DENY" } : {};
  return { html: page.html, headers: { "content-security-policy": csp, ...framing } };
}
