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

/**
 * What a log line may say about an error: its name, its message and its stack frames, with
 * anything in the message that could be a person's text or a credential taken out (quoted strings,
 * long runs of digits, long token-like strings such as session ids and keys, a value after "token=",
 * a bot token in a Bot API URL). The frames name source files and lines, never data.
 */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12)
    .map((line) => scrub(line.trim()));
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
