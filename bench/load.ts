/**
 * `npm run load`: drives the local server (or a deployed stage) with autocannon and reports
 * throughput, latency, errors and lost messages. Every message a platform was told was taken (a 2xx)
 * must be in the store afterwards, exactly once: the script counts the stored messages back.
 *
 *   npm run load                                   # 50 connections, 60 s per scenario, local server
 *   npm run load -- --connections 20 --duration 10 --scenario meta --scenario agent
 *   npm run load -- --rate 100                     # 100 requests a second over all connections
 *   npm run load -- --url https://<api-id>.execute-api.<region>.amazonaws.com
 *
 * Scenarios, all against the local server on 127.0.0.1 with the embedded store in memory and fake
 * platform APIs (Bot API, Graph API) on 127.0.0.1:
 *   web       the web chat, a new session per message
 *   telegram  the Telegram webhook, a new chat per update
 *   meta      signed WhatsApp and Messenger notifications, a new user per message; each Meta
 *             message id must be stored once
 *   agent     five agents work a queue of users who asked for a person (bench/load-agent.ts)
 *   outage    Telegram with the store cut off for the middle third (bench/load-outage.ts)
 * After each of the first four, a calibration sends conversations one request at a time and
 * measures each route's DynamoDB requests, read and write units and log bytes: the inputs of the
 * cost table it prints (bench/load-cost.ts), kept in bench/load-results.json.
 *
 * Against a stage URL only `web` runs: it needs no secret, and lost messages are counted through
 * `GET /web/messages` for a sample of sessions. The webhooks and the agent API would need the
 * stage's secrets and agent tokens here and a fake platform API the stage can reach (README, "Load").
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { agentRuntime } from "../src/app/agents.ts";
import { runtime } from "../src/app/runtime.ts";
import { startLocalServer } from "../src/local/server.ts";
import { configureLog } from "../src/log.ts";
import { FakeMeta } from "../tests/support/fake-meta.ts";
import { FakeTelegram } from "../tests/support/fake-telegram.ts";
import { captureLogs } from "../tests/support/log-capture.ts";
import { agentScenario, calibrateAgent } from "./load-agent.ts";
import {
  calibrateMeta,
  calibrateTelegram,
  calibrateWeb,
  channelEnv,
  metaRequest,
  telegramRequest,
  webRequest,
} from "./load-channels.ts";
import { type CostRow, costInputs, costTable, inputsTable } from "./load-cost.ts";
import { meterLog, meterStore, perUnit } from "./load-meter.ts";
import { outage } from "./load-outage.ts";
import { runOnStage } from "./load-stage.ts";
import {
  type Built,
  Calibration,
  countStored,
  type Drive,
  driveMessages,
  type LoadResult,
  type StoredItem,
  summarise,
} from "./load-support.ts";

const LOCAL_SCENARIOS = ["web", "telegram", "meta", "agent", "outage"];
const STAGE_SCENARIOS = ["web"];

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "60" },
    rate: { type: "string" },
    scenario: { type: "string", multiple: true },
    url: { type: "string" },
  },
});
const pace: Drive = {
  connections: Number(values.connections),
  durationS: Number(values.duration),
  ...(values.rate ? { rate: Number(values.rate) } : {}),
};
const known = values.url ? STAGE_SCENARIOS : LOCAL_SCENARIOS;
const scenarios = values.scenario ?? (values.url ? STAGE_SCENARIOS : LOCAL_SCENARIOS);
const unknown = scenarios.filter((s) => !known.includes(s));
if (unknown.length > 0) {
  console.error(
    `load: ${unknown.join(", ")}: not a scenario ${values.url ? "for a stage" : "here"} (${known.join(", ")})`,
  );
  process.exit(2);
}

interface LocalRun {
  results: LoadResult[];
  rows: CostRow[];
  agentListing?: { waiting: number; measured: ReturnType<Calibration["measured"]> };
}

/** Every scenario but the outage, on one local server with every channel on against fake APIs. */
async function runLocal(log: ReturnType<typeof meterLog>): Promise<LocalRun> {
  const telegram = new FakeTelegram();
  const graph = new FakeMeta();
  Object.assign(process.env, channelEnv({ telegram: await telegram.start(), meta: await graph.start() }));
  const server = await startLocalServer({ tableName: "guardline-load" });
  const base = new URL(server.url);
  const meter = meterStore(runtime().store.client);
  const calibration = new Calibration(meter, log);
  const jobs = pausableJobs();
  const run: LocalRun = { results: [], rows: [] };
  const messages = async (
    scenario: string,
    build: (marker: string) => Built & { key?: string },
    keyOf?: (item: StoredItem) => string | undefined,
  ) => {
    meter.take();
    const { result, sent } = await driveMessages(scenario, base, pace, build);
    await meter.quiet();
    const usage = meter.take();
    const counted = await countStored(sent.keys, keyOf ? { keyOf } : {});
    run.results.push({
      ...summarise(scenario, pace, result, result["2xx"], counted),
      storePerMessage: perUnit(usage, counted.stored),
    });
  };
  try {
    if (scenarios.includes("web")) {
      await messages("web", (marker) => webRequest(marker));
      run.rows.push(...(await jobs.paused(() => calibrateWeb(calibration, base))));
    }
    if (scenarios.includes("telegram")) {
      await messages("telegram", (marker) => telegramRequest(marker));
      run.rows.push(...(await jobs.paused(() => calibrateTelegram(calibration, base))));
    }
    if (scenarios.includes("meta")) {
      await messages(
        "meta",
        (marker) => metaRequest(marker),
        (item) => item.eventId as string | undefined,
      );
      run.rows.push(...(await jobs.paused(() => calibrateMeta(calibration, base, graph))));
    }
    if (scenarios.includes("agent")) {
      const { result, ...reserved } = await agentScenario(base, pace, meter);
      run.results.push(result);
      const agent = await jobs.paused(() => calibrateAgent(calibration, base, reserved));
      run.rows.push(...agent.rows);
      run.agentListing = { waiting: agent.waitingAtListing, measured: agent.listing };
    }
  } finally {
    meter.stop();
    await server.close();
    await telegram.stop();
    await graph.stop();
  }
  return run;
}

/**
 * The server runs the handoff job every minute, as EventBridge does; while requests are measured
 * one at a time it waits (and a run in progress is let finish first), so that its queue reads are
 * not billed to them.
 */
function pausableJobs() {
  const agents = agentRuntime(runtime());
  const runJobs = agents.runJobs;
  let paused = false;
  let running: Promise<unknown> = Promise.resolve();
  agents.runJobs = () => {
    if (paused) return Promise.resolve({ returned: 0, escalated: 0 });
    const job = runJobs();
    running = job.catch(() => undefined);
    return job;
  };
  return {
    async paused<T>(measure: () => Promise<T>): Promise<T> {
      paused = true;
      try {
        await running;
        return await measure();
      } finally {
        paused = false;
      }
    },
  };
}

async function main(): Promise<void> {
  // Production logs at info (serverless.yml); the lines are counted and weighed, not printed.
  process.env.LOG_LEVEL = "info";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const log = meterLog();
  configureLog({ level: "info" });
  // As in Lambda: every log and metric (EMF) line is weighed for the cost table, none printed.
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
  captureLogs((line) => {
    log.sink(line);
    return false;
  });
  process.on("exit", () => process.stderr.write(`· ${log.errorLines()} error lines logged\n`));
  const out = join(import.meta.dirname, "load-results.json");
  if (values.url) {
    const results = [await runOnStage(values.url, pace)];
    printResults(results);
    writeFileSync(out, `${JSON.stringify({ takenAt: new Date().toISOString(), results }, null, 2)}\n`);
    console.log(`\nwritten to ${out}`);
    if (failed(results)) process.exitCode = 1;
    return;
  }
  const run = await runLocal(log);
  if (scenarios.includes("outage")) run.results.push(await outage(pace));
  printResults(run.results);
  if (run.rows.length > 0) {
    console.log("\nPer unit, measured one request at a time after each run (this machine):\n");
    for (const line of inputsTable(run.rows)) console.log(line);
    if (run.agentListing)
      console.log(
        `\nGET /agent/conversations with ${run.agentListing.waiting} waiting: ${run.agentListing.measured.msP50} ms, ` +
          `${run.agentListing.measured.store.readUnits} RRU`,
      );
    console.log("\nCost at scale (us-east-1 on-demand list prices):\n");
    for (const line of costTable(run.rows)) console.log(line);
  }
  const taken = { takenAt: new Date().toISOString(), results: run.results };
  const cost =
    run.rows.length > 0 ? { cost: { ...costInputs(run.rows), agentListing: run.agentListing } } : {};
  writeFileSync(out, `${JSON.stringify({ ...taken, ...cost }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  if (failed(run.results)) process.exitCode = 1;
}

/** Any loss or duplicate; a 5xx outside the outage, or none during it. */
function failed(results: LoadResult[]): boolean {
  return results.some(
    (r) =>
      r.lost > 0 ||
      r.storedTwice > 0 ||
      (r.scenario === "outage" ? r.serverErrors === 0 : r.serverErrors > 0),
  );
}

function printResults(results: LoadResult[]): void {
  const rate = pace.rate ? `, ${pace.rate} req/s offered` : "";
  console.log(
    `\nLoad: ${pace.connections} connections, ${pace.durationS} s per scenario${rate} (autocannon)\n\n` +
      "  scenario     requests   req/s   p50 ms   p99 ms   non-2xx   5xx   errors   accepted   stored   lost   twice",
  );
  for (const r of results) {
    const cells = [
      [r.requests, 8],
      [r.throughputPerS, 7],
      [r.latencyMsP50, 8],
      [r.latencyMsP99, 8],
      [r.non2xx, 9],
      [r.serverErrors, 5],
      [r.transportErrors, 8],
      [r.accepted, 10],
      [r.stored, 8],
      [r.lost, 6],
      [r.storedTwice, 7],
    ] as const;
    console.log(`  ${r.scenario.padEnd(12)} ${cells.map(([v, w]) => String(v).padStart(w)).join(" ")}`);
  }
}

await main();
