import { randomBytes } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { runtime } from "../src/app/runtime.ts";
import { percentile } from "../src/core/metrics.ts";
import {
  addUsage,
  type meterLog,
  type meterStore,
  type PerUnitUsage,
  perUnit,
  round,
  type StoreUsage,
} from "./load-meter.ts";

/** How hard every scenario drives: the command line's `--connections`, `--duration`, `--rate`. */
export interface Drive {
  connections: number;
  durationS: number;
  /** Requests per second over all connections; as fast as answers come when unset. */
  rate?: number;
}

export interface LoadResult {
  scenario: string;
  connections: number;
  durationS: number;
  requests: number;
  throughputPerS: number;
  latencyMsP50: number;
  latencyMsP99: number;
  non2xx: number;
  serverErrors: number;
  transportErrors: number;
  accepted: number;
  stored: number;
  lost: number;
  storedTwice: number;
  /** The store's bill for the whole run, per stored message (for the agent API: per stored reply). */
  storePerMessage?: PerUnitUsage;
}

/** One kind of request a message costs, measured one at a time after the run: the cost table's inputs. */
export interface Measured {
  route: string;
  n: number;
  /** Round trip through the local server, one request at a time: this machine, not Lambda's. */
  msP50: number;
  store: PerUnitUsage;
  logBytes: number;
}

/**
 * A message's marker: twelve consonants that spell no cue ("pin", "pw", "otp", "2fa"), so the secret
 * firewall leaves it as written and it can be found in the store again; without "v", since "vx"
 * followed by letters is a WeChat id, which an agent's reply may not give.
 */
export function newMarker(): string {
  const letters = "bcdfghjkmnpqrtxz";
  return [...randomBytes(12)].map((byte) => letters[byte % letters.length]).join("");
}

/** Each message starts "#<marker> ": after a cue such as "密码" a random token would rightly be redacted. */
const QUESTIONS = [
  "忘记登录密码了怎么办",
  "提現要多久才到帳",
  "how do I withdraw to my bank card",
  "手续费怎么算",
];

export function markedText(marker: string, n = marker.charCodeAt(0)): string {
  return `#${marker} ${QUESTIONS[n % QUESTIONS.length]}`;
}

export const markerOf = (text: unknown): string | undefined =>
  typeof text === "string" ? /^#([a-z]{12}) /.exec(text)?.[1] : undefined;

export interface Built {
  method?: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Sent {
  /**
   * What identifies each message in the store (its marker, or the platform's message id).
   * autocannon prepares a connection's first request before it starts, so the count of 2xx
   * answers is compared with the count of keys found in the store, not answer by answer.
   */
  keys: Set<string>;
  /** Every request body, for a redelivery. */
  bodies: string[];
}

/** autocannon at the command line's pace against `base`, cycling through `requests` on each connection. */
export async function drive(
  scenario: string,
  base: URL,
  pace: Drive,
  requests: autocannon.Request[],
  limits: { maxConnectionRequests?: number } = {},
): Promise<autocannon.Result> {
  const result = await autocannon({
    url: base.toString(),
    connections: pace.connections,
    duration: pace.durationS,
    ...(pace.rate ? { overallRate: pace.rate } : {}),
    ...limits,
    requests,
  });
  process.stderr.write(`· ${scenario}: ${result.requests.total} requests\n`);
  return result;
}

/** One POST per request, each built fresh with a new marker; `key` says what to count back. */
export async function driveMessages(
  scenario: string,
  base: URL,
  pace: Drive,
  build: (marker: string) => Built & { key?: string },
): Promise<{ result: autocannon.Result; sent: Sent }> {
  const sent: Sent = { keys: new Set(), bodies: [] };
  const result = await drive(scenario, base, pace, [
    {
      method: "POST",
      setupRequest: (req) => {
        const marker = newMarker();
        const { path, headers, body, key } = build(marker);
        sent.keys.add(key ?? marker);
        if (body !== undefined) sent.bodies.push(body);
        return { ...req, path, headers: { ...req.headers, ...headers }, body };
      },
    },
  ]);
  return { result, sent };
}

export type StoredItem = Record<string, unknown>;

/**
 * Messages in the table from `from` whose key (by default the text's marker) is one of `keys`: how
 * many of them are there, and how many are there more than once.
 */
export async function countStored(
  keys: Set<string>,
  options: { from?: string; keyOf?: (item: StoredItem) => string | undefined } = {},
): Promise<{ stored: number; storedTwice: number }> {
  const { from = "user", keyOf = (item: StoredItem) => markerOf(item.text) } = options;
  const { store, config } = runtime();
  const seen = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(
      new ScanCommand({ TableName: config.env.TABLE_NAME, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      if (item.from !== from) continue;
      const key = keyOf(item);
      if (key && keys.has(key)) seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { stored: seen.size, storedTwice: [...seen.values()].filter((n) => n > 1).length };
}

export function summarise(
  scenario: string,
  pace: Drive,
  result: autocannon.Result,
  accepted: number,
  counted: { stored: number; storedTwice: number },
): LoadResult {
  return {
    scenario,
    connections: pace.connections,
    durationS: pace.durationS,
    requests: result.requests.total,
    throughputPerS: Math.round(result.requests.average),
    latencyMsP50: result.latency.p50,
    latencyMsP99: result.latency.p99,
    non2xx: result.non2xx,
    serverErrors: result["5xx"],
    transportErrors: result.errors + result.timeouts,
    accepted,
    stored: counted.stored,
    lost: Math.max(0, accepted - counted.stored),
    storedTwice: counted.storedTwice,
  };
}

/**
 * Requests timed one at a time, each route's store bill and log bytes kept apart: with nothing else
 * running, everything the store and the log saw between two marks belongs to that request.
 */
export class Calibration {
  private readonly routes = new Map<string, { times: number[]; usage: StoreUsage[]; log: number }>();

  constructor(
    private readonly meter: Meter,
    private readonly log: ReturnType<typeof meterLog>,
  ) {}

  async time(route: string, call: () => Promise<Response>): Promise<Response> {
    this.meter.take();
    this.log.take();
    const started = performance.now();
    const response = await call();
    await response.clone().arrayBuffer();
    const ms = performance.now() - started;
    const entry = this.routes.get(route) ?? { times: [], usage: [], log: 0 };
    entry.times.push(ms);
    entry.usage.push(this.meter.take());
    entry.log += this.log.take();
    this.routes.set(route, entry);
    return response;
  }

  measured(route: string): Measured {
    const entry = this.routes.get(route);
    if (!entry) throw new Error(`load: ${route} was never measured`);
    const n = entry.times.length;
    const total = entry.usage.reduce(addUsage);
    return {
      route,
      n,
      msP50: round(percentile(entry.times, 0.5)),
      store: perUnit(total, n),
      logBytes: Math.round(entry.log / n),
    };
  }
}

type Meter = ReturnType<typeof meterStore>;
