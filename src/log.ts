import { existsSync, readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { fileURLToPath } from "node:url";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";

/**
 * Logs and metrics, with Powertools for AWS Lambda: structured JSON lines (level, message, service,
 * cold start, request id, correlation id) and CloudWatch metrics in the embedded metric format.
 * Callers pass identifiers and outcomes only: never message text, tokens or platform payloads
 * (product.md §4); an error goes through `errorFields`, which takes out what could be either.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

type Fields = Record<string, string | number | boolean | undefined>;

const SERVICE = process.env.POWERTOOLS_SERVICE_NAME || "guardline";

export const logger = new Logger({
  serviceName: SERVICE,
  logLevel: levelFrom(process.env.LOG_LEVEL),
});

/**
 * Built on the first publish, so an entry point (the local server) can turn metrics off first;
 * off under `POWERTOOLS_DEV` or `POWERTOOLS_METRICS_DISABLED=true`.
 */
let metrics: Metrics | undefined;

export { MetricUnit };

/** The `route` dimension of the bot path's insight counters (one EMF line per turn). */
export const TURNS_ROUTE = "bot turns";
/** The metrics' `route` of the invocations that are not HTTP requests (alarms name them). */
export const JOBS_ROUTE = "schedule handoff-jobs";
export const FOLLOW_UP_ROUTE = "async discord-follow-up";

export function configureLog(options: { level?: LogLevel }): void {
  if (options.level) logger.setLogLevel(levelFrom(options.level));
}

/**
 * The start of one invocation: the Lambda context (request id, cold start) and the correlation id
 * on every line until the next.
 */
export function beginInvocation(context: Context | undefined): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
  if (context?.awsRequestId) logger.setCorrelationId(context.awsRequestId);
}

/** The platform's own id of what is being handled (an update, an interaction, a message). */
export function correlate(id: string): void {
  logger.setCorrelationId(id);
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Publishes one invocation's metrics under its route (or job) as one EMF line. Synchronous from
 * the first metric to the line, so requests served side by side in one process (the local server)
 * never mix their figures.
 */
export function publishMetrics(route: string, values: Record<string, [Unit, number]>): void {
  metrics ??= new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || "Guardline",
    serviceName: SERVICE,
  });
  metrics.addDimension("route", route);
  for (const [name, [unit, value]] of Object.entries(values)) metrics.addMetric(name, unit, value);
  metrics.publishStoredMetrics();
}

function levelFrom(level: string | undefined): "DEBUG" | "INFO" | "WARN" | "ERROR" {
  const upper = (level || "info").toUpperCase();
  return upper === "DEBUG" || upper === "WARN" || upper === "ERROR" ? upper : "INFO";
}

/**
 * What a log line may say about an error: its name, its message and its stack frames, with
 * anything in the message that could be a person's text or a credential taken out (quoted strings,
 * long runs of digits, long token-like strings such as session ids and keys, a value after "token=",
 * a bot token in a Bot API URL). The frames name source files and lines, never data: a frame in a
 * minified bundle is mapped back through the bundle's source map when one lies beside it.
 */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    // Frames are code locations (function names, files, lines), never data; only a Bot API URL could hold a token.
    .map((line) => original(line.trim()).replace(/\bbot\d+:[A-Za-z0-9_-]+/g, "bot…"));
  const cause = error.cause instanceof Error ? { causeName: error.cause.name } : {};
  return {
    errorName: error.name,
    errorMessage: scrub(error.message).slice(0, 300),
    ...(frames.length > 0 ? { errorStack: frames.join("\n") } : {}),
    ...cause,
  };
}

function scrub(text: string): string {
  return text
    .replace(/"[^"\n]*"|'[^'\n]*'|“[^”\n]*”|「[^」\n]*」/g, "…")
    .replace(/\bbot\d+:[A-Za-z0-9_-]+/g, "bot…")
    .replace(/\b(token|secret|key|password|passwd|authorization|bearer)(\s*[=:]\s*|\s+)\S+/gi, "$1$2…")
    .replace(/[A-Za-z0-9_+/=-]{20,}/g, (token) => (token.includes("/") && !/[=+]/.test(token) ? token : "…"))
    .replace(/\d{6,}/g, "…");
}

/** Source maps read so far, by bundle path (null: the file has none). Read on the first error only. */
const sourceMaps = new Map<string, SourceMap | null>();

/** `at fn (file:///var/task/handlers/x.mjs:1:2345)` → `at fn (src/handoff/turn.ts:58:7)`. */
function original(frame: string): string {
  const match = /^(at (?:.*? \()?)((?:file:\/\/)?\/[^\s()]+\.m?js):(\d+):(\d+)(\)?)$/.exec(frame);
  if (!match) return frame;
  const [, head, file = "", line, column, tail] = match;
  const map = sourceMapOf(file.startsWith("file:") ? fileURLToPath(file) : file);
  if (!map) return frame;
  const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined)
    return frame;
  const source = entry.originalSource.replace(/^(?:file:\/\/)?(?:\.\.\/)+/, "");
  return `${head}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${tail}`;
}

function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map !== undefined) return map;
  map = null;
  try {
    const path = `${file}.map`;
    if (existsSync(path)) map = new SourceMap(JSON.parse(readFileSync(path, "utf8")) as SourceMapPayload);
  } catch {
    map = null;
  }
  sourceMaps.set(file, map);
  return map;
}
