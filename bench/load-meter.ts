import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** What a stretch of traffic cost the store, as DynamoDB on-demand would bill it. */
export interface StoreUsage {
  requests: number;
  byCommand: Record<string, number>;
  /** Read request units: 1 per 4 KB strongly consistent, half that eventually consistent. */
  readUnits: number;
  /** Write request units on the table: 1 per KB written. */
  writeUnits: number;
  /**
   * Write units on the queue index, which the embedded store does not charge: one index write per
   * table write of a head that carries the index keys (waiting or held), the same size (the index
   * projects every attribute). A head leaving or changing its place in the queue also deletes its
   * old index entry; that unit is not counted.
   */
  indexWriteUnits: number;
  /** Conditional writes refused: DynamoDB still charges them, counted here as 1 WRU each (a floor). */
  refusedWrites: number;
}

const READS = new Set(["GetItemCommand", "BatchGetItemCommand", "QueryCommand", "ScanCommand"]);

interface Capacity {
  CapacityUnits?: number;
}

/**
 * Asks the store for ConsumedCapacity on every request a client sends (the embedded store computes
 * it from item sizes as DynamoDB does) and adds it up, until `take()`.
 */
export function meterStore(client: DynamoDBDocumentClient) {
  let usage = emptyUsage();
  let lastRequestAt = 0;
  const name = `load-meter-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "TOTAL";
      usage.requests++;
      lastRequestAt = performance.now();
      usage.byCommand[command] = (usage.byCommand[command] ?? 0) + 1;
      try {
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
        const consumed = [output.ConsumedCapacity ?? []].flat();
        const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (READS.has(command)) usage.readUnits += units;
        else usage.writeUnits += units;
        const item = input.Item as Record<string, unknown> | undefined;
        if (command === "PutItemCommand" && item && "queuePk" in item) usage.indexWriteUnits += units;
        return result;
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") usage.refusedWrites++;
        throw error;
      } finally {
        lastRequestAt = performance.now();
      }
    },
    { step: "initialize", name },
  );
  return {
    take(): StoreUsage {
      const taken = usage;
      usage = emptyUsage();
      return taken;
    },
    stop(): void {
      client.middlewareStack.remove(name);
    },
    /**
     * Resolves once no request has started or ended for `ms` (at most 10 s): requests still in flight
     * when the load tool stopped finish first, so they are neither counted missing nor billed later.
     */
    async quiet(ms = 500): Promise<void> {
      const until = performance.now() + 10_000;
      while (performance.now() - lastRequestAt < ms && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, ms / 5));
    },
  };
}

function emptyUsage(): StoreUsage {
  return {
    requests: 0,
    byCommand: {},
    readUnits: 0,
    writeUnits: 0,
    indexWriteUnits: 0,
    refusedWrites: 0,
  };
}

export function addUsage(a: StoreUsage, b: StoreUsage): StoreUsage {
  const byCommand = { ...a.byCommand };
  for (const [command, n] of Object.entries(b.byCommand)) byCommand[command] = (byCommand[command] ?? 0) + n;
  return {
    requests: a.requests + b.requests,
    byCommand,
    readUnits: a.readUnits + b.readUnits,
    writeUnits: a.writeUnits + b.writeUnits,
    indexWriteUnits: a.indexWriteUnits + b.indexWriteUnits,
    refusedWrites: a.refusedWrites + b.refusedWrites,
  };
}

/** Per-unit figures: every count of `usage` divided by `n` (messages, replies). */
export function perUnit(usage: StoreUsage, n: number) {
  const per = (value: number) => (n > 0 ? round(value / n) : 0);
  return {
    requests: per(usage.requests),
    byCommand: Object.fromEntries(Object.entries(usage.byCommand).map(([c, k]) => [c, per(k)])),
    readUnits: per(usage.readUnits),
    writeUnits: per(usage.writeUnits + usage.refusedWrites),
    indexWriteUnits: per(usage.indexWriteUnits),
  };
}

export type PerUnitUsage = ReturnType<typeof perUnit>;

/** Bytes of log lines (JSON plus newline) since the last `take()`; error lines counted on their own. */
export function meterLog() {
  let bytes = 0;
  let errorLines = 0;
  return {
    sink(line: string): void {
      bytes += Buffer.byteLength(line) + 1;
      if (line.startsWith('{"level":"ERROR"')) errorLines++;
    },
    take(): number {
      const taken = bytes;
      bytes = 0;
      return taken;
    },
    errorLines: () => errorLines,
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
