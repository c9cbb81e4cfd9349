import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { matchRoute } from "../src/local/routes.ts";
import { round } from "./load-meter.ts";
import type { Measured } from "./load-support.ts";

/**
 * The cost-at-scale table: what one message (or minute, or reply) costs in AWS requests, Lambda
 * GB-s and DynamoDB request units, from what the load run measured, at on-demand list prices.
 */

/**
 * us-east-1 on-demand list prices (ap-east-1, the stage's default region, lists higher; its prices
 * are not used here): HTTP API, Lambda on arm64, DynamoDB on-demand after the November 2024 cut,
 * CloudWatch Logs ingestion. No free tier.
 */
export const PRICES = {
  region: "us-east-1",
  httpApiPerMillionRequests: 1.0,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionReadUnits: 0.125,
  dynamoPerMillionWriteUnits: 0.625,
  logsPerGbIngested: 0.5,
} as const;

/**
 * Lambda writes START, END and REPORT lines for every invocation, about this many bytes with a
 * request id each (an estimate; the function's own lines are measured).
 */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 270;

export interface CostRow {
  /** What is counted, in the plural: "web chat messages". */
  label: string;
  /** The requests one unit costs: each route measured, and how many of it one unit takes. */
  invocations: { measured: Measured; perUnit: number }[];
}

export interface PerUnitCost {
  apiRequests: number;
  invocations: number;
  gbSeconds: number;
  readUnits: number;
  writeUnits: number;
  logBytes: number;
  dollars: number;
}

/** Memory of each function as serverless.yml sets it (the provider's default otherwise). */
function memoryMb(): (functionName: string) => number {
  const yml = parse(readFileSync(join(import.meta.dirname, "..", "serverless.yml"), "utf8")) as {
    provider: { memorySize: number };
    functions: Record<string, { memorySize?: number }>;
  };
  return (name) => yml.functions[name]?.memorySize ?? yml.provider.memorySize;
}

/** The serverless.yml function behind a measured route such as "POST /webhooks/meta (status)". */
export function functionOf(route: string): string {
  const [method = "", path = ""] = route.split(" ");
  const found = matchRoute(method, path.split("?")[0] ?? "");
  if (!("route" in found)) throw new Error(`load: no route for ${route}`);
  return found.route.functionName;
}

/** One unit's cost; Lambda bills whole milliseconds. */
export function costPerUnit(row: CostRow): PerUnitCost {
  const memory = memoryMb();
  const sum = (f: (i: CostRow["invocations"][number]) => number) =>
    row.invocations.reduce((total, i) => total + i.perUnit * f(i), 0);
  const invocations = sum(() => 1);
  const gbSeconds = sum(
    (i) => (memory(functionOf(i.measured.route)) / 1024) * (Math.ceil(i.measured.msP50) / 1000),
  );
  const readUnits = sum((i) => i.measured.store.readUnits);
  const writeUnits = sum((i) => i.measured.store.writeUnits + i.measured.store.indexWriteUnits);
  const logBytes = sum((i) => i.measured.logBytes + PLATFORM_LOG_BYTES_PER_INVOCATION);
  const dollars =
    (invocations * (PRICES.httpApiPerMillionRequests + PRICES.lambdaPerMillionRequests)) / 1e6 +
    gbSeconds * PRICES.lambdaPerGbSecond +
    (readUnits * PRICES.dynamoPerMillionReadUnits + writeUnits * PRICES.dynamoPerMillionWriteUnits) / 1e6 +
    (logBytes / 2 ** 30) * PRICES.logsPerGbIngested;
  return { apiRequests: invocations, invocations, gbSeconds, readUnits, writeUnits, logBytes, dollars };
}

const SCALES = [1_000, 1_000_000] as const;

/** The table as README shows it: for each row, 1,000 and 1 M units a month. */
export function costTable(rows: CostRow[]): string[] {
  const lines = [
    "| per month | API Gateway requests | Lambda invocations | Lambda GB-s | DynamoDB RRU | DynamoDB WRU | logs MB | on-demand $ |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const one = costPerUnit(row);
    for (const scale of SCALES) {
      const f = (n: number, digits = 0) =>
        (n * scale).toLocaleString("en-US", { maximumFractionDigits: digits });
      lines.push(
        `| ${f(1)} ${row.label} | ${f(one.apiRequests)} | ${f(one.invocations)} | ${f(one.gbSeconds, 1)} | ${f(one.readUnits)} | ${f(one.writeUnits)} | ${f(one.logBytes / 2 ** 20, 1)} | ${dollars(one.dollars * scale)} |`,
      );
    }
  }
  return lines;
}

/** The measured inputs, one line per route a unit takes. */
export function inputsTable(rows: CostRow[]): string[] {
  const memory = memoryMb();
  const lines = [
    "| per | route × per unit | function, MB | ms p50 | DynamoDB requests | RRU | WRU (+ index) | log bytes |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows)
    for (const { measured: m, perUnit } of row.invocations) {
      const fn = functionOf(m.route);
      const index = m.store.indexWriteUnits > 0 ? ` (+ ${m.store.indexWriteUnits})` : "";
      lines.push(
        `| ${row.label} | ${m.route} × ${round(perUnit)} | ${fn}, ${memory(fn)} | ${m.msP50} | ${m.store.requests} | ${m.store.readUnits} | ${m.store.writeUnits}${index} | ${m.logBytes} |`,
      );
    }
  return lines;
}

function dollars(value: number): string {
  return value < 0.01 ? `${round(value, 4)}` : value.toFixed(2);
}

/** What bench/load-results.json keeps: each row's inputs and its cost per unit. */
export function costInputs(rows: CostRow[]) {
  const memory = memoryMb();
  return {
    prices: PRICES,
    platformLogBytesPerInvocation: PLATFORM_LOG_BYTES_PER_INVOCATION,
    rows: rows.map((row) => ({
      label: row.label,
      invocations: row.invocations.map((i) => {
        const functionName = functionOf(i.measured.route);
        return { ...i.measured, perUnit: round(i.perUnit), functionName, memoryMb: memory(functionName) };
      }),
      perUnit: costPerUnit(row),
    })),
  };
}
