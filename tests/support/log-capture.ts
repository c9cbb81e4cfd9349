/**
 * Captures what Powertools writes: its Logger and Metrics print through a Console bound to
 * process.stdout and process.stderr, so the lines are taken at the streams' `write`. JSON lines
 * (log entries and EMF metric blobs) are kept and not printed; anything else passes through.
 */
export interface CapturedLogs {
  /** Every JSON line as written. */
  readonly raw: string[];
  /** The log entries (lines with a `level`), parsed. */
  entries(): Record<string, unknown>[];
  /** The EMF metric blobs (lines with `_aws`), parsed. */
  metrics(): Record<string, unknown>[];
  /** Forgets what was captured so far. */
  clear(): void;
  stop(): void;
}

/** `keep`: which JSON lines to keep (default all); the others are dropped, not printed. */
export function captureLogs(keep: (line: string) => boolean = () => true): CapturedLogs {
  const raw: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
      if (text.startsWith("{")) {
        for (const line of text.split("\n")) if (line.trim() && keep(line)) raw.push(line);
        const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        done?.();
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });
  const parsed = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    raw,
    entries: () => parsed().filter((entry) => "level" in entry),
    metrics: () => parsed().filter((entry) => "_aws" in entry),
    clear: () => {
      raw.length = 0;
    },
    stop: () => {
      for (const undo of restore) undo();
    },
  };
}
