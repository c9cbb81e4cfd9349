/**
 * `npm run load`: drives the local server (or a deployed stage) with autocannon and reports
 * throughput, latency, errors and lost messages. Every message a platform was told was taken (a 2xx)
 * must be in the store afterwards, exactly once: the script counts the stored user messages back.
 *
 *   npm run load                                   # 50 connections, 60 s per scenario, local server
 *   npm run load -- --connections 20 --duration 10 --scenario web
 *   npm run load -- --url https://<api-id>.execute-api.<region>.amazonaws.com --scenario web
 *
 * Locally the server runs in this process on the embedded store (in memory), with a fake Bot API on
 * 127.0.0.1 for the Telegram scenario. Against a stage URL only the web scenario runs, and lost
 * messages are counted through `GET /web/messages` for a sample of sessions.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { runtime } from "../src/app/runtime.ts";
import { startEmbeddedDynamo } from "../src/local/embedded-dynamo.ts";
import { startLocalServer } from "../src/local/server.ts";
import { configureLog } from "../src/log.ts";
import { FakeTelegram } from "../tests/support/fake-telegram.ts";
import { captureLogs } from "../tests/support/log-capture.ts";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "60" },
    scenario: { type: "string", multiple: true },
    url: { type: "string" },
  },
});
const connections = Number(values.connections);
const duration = Number(values.duration);
const scenarios = values.scenario ?? (values.url ? ["web"] : ["web", "telegram", "outage"]);

/**
 * A message's marker: twelve consonants that spell no cue ("pin", "pw", "otp", "2fa"), so the secret
 * firewall leaves it as written and it can be found in the store again.
 */
function newMarker(): string {
  const letters = "bcdfghjkmnqrtvxz";
  return [...randomBytes(12)].map((byte) => letters[byte % letters.length]).join("");
}

/** Each message starts "#<marker> ": after a cue such as "密码" a random token would rightly be redacted. */
const QUESTIONS = [
  "忘记登录密码了怎么办",
  "提現要多久才到帳",
  "how do I withdraw to my bank card",
  "手续费怎么算",
];
const TELEGRAM_TOKEN = "7012345678:AAHloadTokenNotReal_abcdefghijkl";
const TELEGRAM_SECRET = "load-test-secret";

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
}

interface Sent {
  /**
   * Every message's unique text marker. autocannon prepares a connection's next request before the
   * last one's answer arrives, so answers cannot be told apart by marker: the count of 2xx answers
   * is compared with the count of markers found in the store.
   */
  markers: Set<string>;
  /** Every request body, for a redelivery. */
  bodies: string[];
}

const TELEGRAM_HEADERS = {
  "content-type": "application/json",
  "x-telegram-bot-api-secret-token": TELEGRAM_SECRET,
};
let updateId = 1;

/** A private-chat text update, each from a chat of its own. */
function telegramRequest(marker: string) {
  const id = updateId++;
  const chatId = 100_000_000 + id;
  return {
    path: "/webhooks/telegram",
    headers: TELEGRAM_HEADERS,
    body: JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private" },
        from: { id: chatId, is_bot: false, first_name: "Load" },
        text: `#${marker} ${QUESTIONS[id % QUESTIONS.length]}`,
      },
    }),
  };
}

async function run(
  scenario: string,
  base: URL,
  request: (marker: string) => { path: string; headers: Record<string, string>; body: string },
): Promise<{ result: autocannon.Result; sent: Sent }> {
  const sent: Sent = { markers: new Set(), bodies: [] };
  const result = await autocannon({
    url: base.toString(),
    connections,
    duration,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const marker = newMarker();
          sent.markers.add(marker);
          const { path, headers, body } = request(marker);
          sent.bodies.push(body);
          return { ...req, path, headers: { ...req.headers, ...headers }, body };
        },
      },
    ],
  });
  process.stderr.write(`· ${scenario}: ${result.requests.total} requests\n`);
  return { result, sent };
}

/** User messages in the table carrying each marker: how many times each accepted one was stored. */
async function countStored(markers: Set<string>): Promise<{ stored: number; storedTwice: number }> {
  const { store, config } = runtime();
  const seen = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(
      new ScanCommand({ TableName: config.env.TABLE_NAME, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      if (item.from !== "user" || typeof item.text !== "string") continue;
      const marker = /^#([a-z]{12}) /.exec(item.text)?.[1];
      if (marker && markers.has(marker)) seen.set(marker, (seen.get(marker) ?? 0) + 1);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { stored: seen.size, storedTwice: [...seen.values()].filter((n) => n > 1).length };
}

/** Against a stage: each sampled session's history must hold its message. */
async function countStoredRemote(
  base: URL,
  sessions: Map<string, string>,
): Promise<{ stored: number; storedTwice: number }> {
  let stored = 0;
  let storedTwice = 0;
  for (const [marker, sessionId] of [...sessions].slice(0, 200)) {
    const response = await fetch(new URL(`web/messages?sessionId=${sessionId}`, base));
    const { messages } = (await response.json()) as { messages: { from: string; text: string }[] };
    const copies = messages.filter((m) => m.from === "user" && m.text.startsWith(`#${marker} `)).length;
    if (copies > 0) stored++;
    if (copies > 1) storedTwice++;
  }
  return { stored, storedTwice };
}

function summarise(
  scenario: string,
  result: autocannon.Result,
  accepted: number,
  counted: { stored: number; storedTwice: number },
): LoadResult {
  const serverErrors = result["5xx"];
  return {
    scenario,
    connections,
    durationS: duration,
    requests: result.requests.total,
    throughputPerS: Math.round(result.requests.average),
    latencyMsP50: result.latency.p50,
    latencyMsP99: result.latency.p99,
    non2xx: result.non2xx,
    serverErrors,
    transportErrors: result.errors + result.timeouts,
    accepted,
    stored: counted.stored,
    lost: Math.max(0, accepted - counted.stored),
    storedTwice: counted.storedTwice,
  };
}

/**
 * Telegram with the store stopped for the middle third of the run: the webhook must answer 5xx
 * while it is down (so Telegram redelivers), and once it is back every update, delivered again as
 * Telegram would, must be stored exactly once.
 */
async function outage(): Promise<LoadResult> {
  const store = await startEmbeddedDynamo();
  const link = await storeLink(store.endpoint);
  const fake = new FakeTelegram();
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
  });
  const server = await startLocalServer({
    tableName: "guardline-load-outage",
    dynamodbEndpoint: link.endpoint,
  });
  const base = new URL(server.url);
  const third = (duration * 1000) / 3;
  const stop = setTimeout(() => link.cut(), third);
  const restart = setTimeout(() => link.restore(), 2 * third);
  try {
    const { result, sent } = await run("outage", base, telegramRequest);
    process.stderr.write(`· outage: ${result["5xx"]} answered 5xx while the store was cut off\n`);
    // Telegram redelivers what was not answered 2xx; deliver every update again, which is stronger.
    let redelivered5xx = 0;
    for (let i = 0; i < sent.bodies.length; i += connections) {
      const batch = sent.bodies.slice(i, i + connections);
      const statuses = await Promise.all(
        batch.map(async (body) => {
          const url = new URL("webhooks/telegram", base);
          return (await fetch(url, { method: "POST", headers: TELEGRAM_HEADERS, body })).status;
        }),
      );
      redelivered5xx += statuses.filter((status) => status >= 500).length;
    }
    const counted = await countStored(sent.markers);
    return {
      ...summarise("outage", result, sent.markers.size, counted),
      // Here every update was delivered again after the store came back, so all must be stored.
      lost: sent.markers.size - counted.stored + redelivered5xx,
    };
  } finally {
    clearTimeout(stop);
    clearTimeout(restart);
    await server.close();
    await link.close();
    await store.close();
    await fake.stop();
  }
}

/**
 * The line between the server and its store, which the outage cuts: a TCP relay on 127.0.0.1 that,
 * while cut, drops every connection it has and refuses new ones (as a store that went away), and
 * relays again once restored. The store itself keeps its data meanwhile.
 */
async function storeLink(endpoint: string) {
  const target = new URL(endpoint);
  let down = false;
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => resolve());
      }),
  };
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL = "error"; // the server configures its log from the environment
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Failures are expected in the outage: count the error lines instead of printing thousands.
  configureLog({ level: "error" });
  // Error lines are counted, not printed (the outage scenario logs thousands); metric lines dropped.
  const errorLines = captureLogs((line) => line.includes('"level":"ERROR"'));
  process.on("exit", () => process.stderr.write(`· ${errorLines.raw.length} error lines logged\n`));
  const results: LoadResult[] = [];
  if (values.url) {
    const base = new URL(values.url.endsWith("/") ? values.url : `${values.url}/`);
    const sessions = new Map<string, string>();
    const { result } = await run("web", base, (marker) => {
      const sessionId = `load-${marker}-session`;
      sessions.set(marker, sessionId);
      const text = `#${marker} ${QUESTIONS[marker.charCodeAt(0) % QUESTIONS.length]}`;
      return {
        path: "/web/messages",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionId, text }),
      };
    });
    // A sample: the last requests prepared may never have been sent, so expect a few misses there.
    const counted = await countStoredRemote(base, new Map([...sessions].slice(0, 200)));
    results.push(summarise("web (stage, 200 sampled)", result, Math.min(sessions.size, 200), counted));
  } else {
    const fake = new FakeTelegram();
    Object.assign(process.env, {
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: await fake.start(),
    });
    const server = await startLocalServer({ tableName: "guardline-load" });
    const base = new URL(server.url);
    try {
      if (scenarios.includes("web")) {
        const { result, sent } = await run("web", base, (marker) => ({
          path: "/web/messages",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            sessionId: `load-${marker}-session`,
            clientMessageId: marker,
            text: `#${marker} ${QUESTIONS[marker.charCodeAt(0) % QUESTIONS.length]}`,
          }),
        }));
        results.push(summarise("web", result, result["2xx"], await countStored(sent.markers)));
      }
      if (scenarios.includes("telegram")) {
        const { result, sent } = await run("telegram", base, telegramRequest);
        results.push(summarise("telegram", result, result["2xx"], await countStored(sent.markers)));
      }
    } finally {
      await server.close();
      await fake.stop();
    }
    if (scenarios.includes("outage")) results.push(await outage());
  }
  printTable(results);
  const out = join(import.meta.dirname, "load-results.json");
  writeFileSync(out, `${JSON.stringify({ takenAt: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  const failed = results.some(
    (r) =>
      r.lost > 0 ||
      r.storedTwice > 0 ||
      (r.scenario === "outage" ? r.serverErrors === 0 : r.serverErrors > 0),
  );
  if (failed) process.exitCode = 1;
}

function printTable(results: LoadResult[]): void {
  console.log(
    `\nLoad: ${connections} connections, ${duration} s per scenario (autocannon)\n\n` +
      "  scenario     requests   req/s   p50 ms   p99 ms   non-2xx   5xx   errors   accepted   stored   lost   twice",
  );
  for (const r of results) {
    console.log(
      `  ${r.scenario.padEnd(12)} ${String(r.requests).padStart(8)} ${String(r.throughputPerS).padStart(7)} ${String(r.latencyMsP50).padStart(8)} ${String(r.latencyMsP99).padStart(8)} ${String(r.non2xx).padStart(9)} ${String(r.serverErrors).padStart(5)} ${String(r.transportErrors).padStart(8)} ${String(r.accepted).padStart(10)} ${String(r.stored).padStart(8)} ${String(r.lost).padStart(6)} ${String(r.storedTwice).padStart(7)}`,
    );
  }
}

await main();
