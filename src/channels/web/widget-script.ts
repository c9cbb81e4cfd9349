import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { GENERATED_DIR } from "../../config.ts";
import { ForbiddenError } from "../../errors.ts";
import type { HttpResult } from "../../http/api-gateway.ts";

/**
 * `GET /widget.js`: the website widget (web/widget/, bundled by `npm run build:web`). Other sites load
 * it with a script element, so it is served for cross-origin use; a page whose `Referer` names a
 * site outside `WEB_ALLOWED_ORIGINS` is refused (403) at once. That is the early, friendly refusal:
 * the gate is the chat page's `frame-ancestors`, which holds even when a page sends no referrer.
 */
export function widgetScript(dir: string = join(GENERATED_DIR, "web")): string {
  try {
    return readFileSync(join(dir, "widget.js"), "utf8");
  } catch {
    throw new Error(`${dir} has no widget.js: run "npm run build:web"`);
  }
}

const HEADERS = {
  "content-type": "text/javascript; charset=utf-8",
  "x-content-type-options": "nosniff",
  // Any site's page may load it; the answer depends on the page (Referer), so caches keep one per page.
  "cross-origin-resource-policy": "cross-origin",
  "cache-control": "public, max-age=300",
  vary: "Referer",
};

/** The widget for this request, or a refusal when the page that asks is a site the chat may not run on. */
export function serveWidget(
  event: APIGatewayProxyEventV2,
  script: string,
  allowed: readonly string[],
): HttpResult {
  const page = refererOrigin(event.headers?.referer);
  if (page !== undefined && !sameHost(page, event.headers?.host) && !allowed.includes(page)) {
    throw new ForbiddenError("this site may not embed the support chat");
  }
  return { statusCode: 200, headers: HEADERS, body: script };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
