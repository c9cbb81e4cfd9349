/**
 * Structured JSON logs, one line per event. Callers pass identifiers and outcomes only: never message
 * text, tokens or platform payloads (product.md §4), so nothing here needs redacting.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

type Fields = Record<string, string | number | boolean | undefined>;

let threshold: LogLevel = "info";
let sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

export function configureLog(options: { level?: LogLevel; sink?: (line: string) => void }): void {
  if (options.level) threshold = options.level;
  if (options.sink) sink = options.sink;
}

export function log(level: LogLevel, event: string, fields: Fields = {}): void {
  if (RANK[level] < RANK[threshold]) return;
  sink(JSON.stringify({ level, time: new Date().toISOString(), event, ...fields }));
}
