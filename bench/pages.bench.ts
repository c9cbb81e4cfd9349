import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { GENERATED_DIR } from "../src/config.ts";

/**
 * What the browser downloads: each built page (generated/web/, `npm run build:web`) as served,
 * gzipped (level 9) and brotli'd. Budget: the web chat page and the widget together under 60 KB
 * gzipped, because both load on a phone before the user can type.
 */
export interface PageWeight {
  file: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface PagesResult {
  pages: PageWeight[];
  chatAndWidgetGzipBytes: number;
  budgetGzipBytes: number;
}

const FILES = ["chat.html", "widget.js", "console.html"];
export const CHAT_AND_WIDGET_BUDGET = 60 * 1024;

export function benchPages(dir: string = join(GENERATED_DIR, "web")): PagesResult {
  const pages = FILES.map((file) => {
    const bytes = readFileSync(join(dir, file));
    return {
      file,
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
      brotliBytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const gz = (file: string) => pages.find((p) => p.file === file)?.gzipBytes ?? 0;
  return {
    pages,
    chatAndWidgetGzipBytes: gz("chat.html") + gz("widget.js"),
    budgetGzipBytes: CHAT_AND_WIDGET_BUDGET,
  };
}

export function printPages(r: PagesResult): void {
  console.log("\nPage weights (generated/web, as served; budget: chat page + widget under 60 KB gzipped)\n");
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const p of r.pages) {
    console.log(
      `  ${p.file.padEnd(14)} ${kb(p.bytes).padStart(9)} raw   ${kb(p.gzipBytes).padStart(8)} gzip   ${kb(p.brotliBytes).padStart(8)} brotli`,
    );
  }
  const verdict = r.chatAndWidgetGzipBytes < r.budgetGzipBytes ? "within" : "OVER";
  console.log(
    `  chat + widget  ${kb(r.chatAndWidgetGzipBytes).padStart(9)} gzip, ${verdict} the ${kb(r.budgetGzipBytes)} budget`,
  );
}
