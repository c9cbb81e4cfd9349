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
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { runtime } from "../src/app/runtime.ts";
import { startLocalServer } from "../src/local/server.ts";
import { configureLog } from "../src/log.ts";
import { FakeTelegram } from "../tests/support/fake-telegram.ts";

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
const scenarios = values.scenario ?? (values.url ? ["web"] : ["web", "telegram"]);

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
}

async function run(
  scenario: string,
  base: URL,
  request: (marker: string) => { path: string; headers: Record<string, string>; body: string },
): Promise<{ result: autocannon.Result; sent: Sent }> {
  const sent: Sent = { markers: new Set() };
  const result = await autocannon({
    url: base.toString(),
    connections,
    duration,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const marker = randomBytes(9).toString("base64url");
          sent.markers.add(marker);
          const { path, headers, body } = request(marker);
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
      const marker = /^#([A-Za-z0-9_-]{12}) /.exec(item.text)?.[1];
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

async function main(): Promise<void> {
  process.env.LOG_LEVEL = "error"; // the server configures its log from the environment
  configureLog({ level: "error" });
  const results: LoadResult[] = [];
  if (values.url) {
    const base = new URL(values.url.endsWith("/") ? values.url : `${values.url}/`);
    const sessions = new Map<string, string>();
    const { result, sent } = await run("web", base, (marker) => {
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
        let updateId = 1;
        const { result, sent } = await run("telegram", base, (marker) => {
          const chatId = 100_000_000 + updateId;
          const id = updateId++;
          return {
            path: "/webhooks/telegram",
            headers: {
              "content-type": "application/json",
              "x-telegram-bot-api-secret-token": TELEGRAM_SECRET,
            },
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
        });
        results.push(summarise("telegram", result, result["2xx"], await countStored(sent.markers)));
      }
    } finally {
      await server.close();
      await fake.stop();
    }
  }
  printTable(results);
  const out = join(import.meta.dirname, "load-results.json");
  writeFileSync(out, `${JSON.stringify({ takenAt: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  if (results.some((r) => r.lost > 0 || r.serverErrors > 0 || r.storedTwice > 0)) process.exitCode = 1;
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
