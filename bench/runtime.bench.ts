/**
 * Runtime figures for issue 3: the web message handler end to end through the local server, the
 * same DynamoDB round trips alone (the floor), requests per message, and each Lambda bundle's size
 * and cold-load time relative to an empty bundle.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { parse } from "yaml";
import { agentRuntime } from "../src/app/agents.ts";
import { BRAIN_MEASURE, KNOWLEDGE_MEASURE, runtime } from "../src/app/runtime.ts";
import { telegramButtonSigner } from "../src/channels/telegram/telegram.adapter.ts";
import { percentile } from "../src/core/metrics.ts";
import { createAgent } from "../src/handoff/agent-auth.ts";
import { startLocalServer } from "../src/local/server.ts";
import { configureLog } from "../src/log.ts";
import { type ConversationRecord, conversationIdFor, type MessageRecord } from "../src/store/records.ts";
import { FakeMeta } from "../tests/support/fake-meta.ts";
import { FakeTelegram } from "../tests/support/fake-telegram.ts";
import { metaSignature, whatsappNotification } from "../tests/support/meta-notifications.ts";
import { countRequests } from "../tests/support/request-counter.ts";

const ROOT = join(import.meta.dirname, "..");
const MESSAGES = 300;
const TEXTS = [
  "忘记登录密码了怎么办",
  "我儲值了但是餘額沒有增加",
  "how do I withdraw money to my bank card",
  "手续费怎么算",
];

export interface TelegramResult {
  updates: number;
  latencyMsP50: number;
  latencyMsP99: number;
  /** Bot API calls over HTTP per text message (the answer rides in the webhook response). */
  outboundCallsPerMessage: number;
  /** Per button press: answerCallbackQuery plus the follow-up. */
  outboundCallsPerButton: number;
}

export interface HandoffResult {
  waiting: number;
  queueListingMsP50: number;
  queueListingMsP99: number;
  claims: number;
  claimMsP50: number;
  claimMsP99: number;
}

export interface DiscordResult {
  interactions: number;
  latencyMsP50: number;
  latencyMsP99: number;
  deferred: number;
}

export interface MetaResult {
  messages: number;
  latencyMsP50: number;
  latencyMsP99: number;
  /** Send API calls per text message (WhatsApp has no answer in the webhook response). */
  outboundCallsPerMessage: number;
}

export interface RuntimeResult {
  discord: DiscordResult;
  meta: MetaResult;
  handoff: HandoffResult;
  telegram: TelegramResult;
  messages: number;
  endToEndMsP50: number;
  endToEndMsP99: number;
  dynamoFloorMsP50: number;
  dynamoFloorMsP99: number;
  ratioP50: number;
  requestsPerMessage: number;
  requests: string[];
  bundles: {
    functionName: string;
    bytes: number;
    /** The whole import: code, then (for functions that load it at cold start) the model and knowledge. */
    coldLoadMs: number;
    /** Of the import, loading the model and knowledge bundle, or the knowledge alone. */
    contentLoadMs: number;
    codeLoadMs: number;
    /** The code's load (the import less the content's) over an empty bundle's import. */
    ratioToEmpty: number;
    /** Which of telegraf and @discordjs/rest the bundle carries. */
    platformSdks: string[];
  }[];
  emptyBundleColdLoadMs: number;
}

export async function benchRuntime(): Promise<RuntimeResult> {
  configureLog({ level: "error" });
  process.env.LOG_LEVEL = "error";
  const fake = new FakeTelegram();
  const graph = new FakeMeta();
  const discordKeys = generateKeyPairSync("ed25519");
  Object.assign(process.env, {
    DISCORD_APPLICATION_ID: "1234567890123456789",
    DISCORD_PUBLIC_KEY: discordKeys.publicKey
      .export({ format: "der", type: "spki" })
      .subarray(-32)
      .toString("hex"),
    DISCORD_BOT_TOKEN: "bench-token",
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: "bench-verify-token",
    META_ACCESS_TOKEN: "bench-access-token",
    META_API_ROOT: await graph.start(),
  });
  const server = await startLocalServer({ tableName: "guardline-bench" });
  try {
    const url = new URL("web/messages", server.url);
    const send = (i: number) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          sessionId: `bench-session-${String(i).padStart(12, "0")}`,
          text: TEXTS[i % 4],
        }),
      }).then((r) => r.json());
    for (let i = 0; i < 50; i++) await send(1_000_000 + i);

    const { store } = runtime();
    const counter = countRequests(store.client);
    await send(2_000_000);
    const requests = counter.take();
    counter.stop();

    const endToEnd: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const started = performance.now();
      await send(i);
      endToEnd.push(performance.now() - started);
    }
    const floor = await dynamoFloor(store);
    const telegram = await benchTelegram(new URL("webhooks/telegram", server.url), fake);
    const handoff = await benchHandoff(server.url, store);
    const discord = await benchDiscord(new URL("webhooks/discord", server.url), discordKeys.privateKey);
    const meta = await benchMeta(new URL("webhooks/meta", server.url), graph);
    const e2eP50 = percentile(endToEnd, 0.5);
    const floorP50 = percentile(floor, 0.5);
    return {
      messages: MESSAGES,
      endToEndMsP50: round(e2eP50),
      endToEndMsP99: round(percentile(endToEnd, 0.99)),
      dynamoFloorMsP50: round(floorP50),
      dynamoFloorMsP99: round(percentile(floor, 0.99)),
      ratioP50: round(e2eP50 / floorP50),
      requestsPerMessage: requests.length,
      requests,
      discord,
      meta,
      handoff,
      telegram,
      ...bundles(),
    };
  } finally {
    await server.close();
    await fake.stop();
    await graph.stop();
    for (const name of [
      "DISCORD_APPLICATION_ID",
      "DISCORD_PUBLIC_KEY",
      "DISCORD_BOT_TOKEN",
      "META_APP_SECRET",
      "META_VERIFY_TOKEN",
      "META_ACCESS_TOKEN",
      "META_API_ROOT",
    ])
      delete process.env[name];
  }
}

/** Signed /ask interactions from separate users, as Discord sends them. */
async function benchDiscord(url: URL, key: KeyObject): Promise<DiscordResult> {
  let id = 1_400_000_000_000_000_000n;
  const send = async (i: number) => {
    const body = JSON.stringify({
      id: String(id++),
      application_id: "1234567890123456789",
      type: 2,
      token: `bench-token-${i}`,
      version: 1,
      guild_id: "1187432905627181066",
      member: { user: { id: String(700_000_000_000_000_000n + BigInt(i)) } },
      locale: "zh-CN",
      data: { name: "ask", type: 1, options: [{ name: "question", type: 3, value: TEXTS[i % 4] }] },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), key).toString("hex");
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature-ed25519": signature,
        "x-signature-timestamp": timestamp,
      },
      body,
    });
    return ((await response.json()) as { type: number }).type;
  };
  for (let i = 0; i < 30; i++) await send(100_000 + i);
  const times: number[] = [];
  let deferred = 0;
  for (let i = 0; i < MESSAGES; i++) {
    const started = performance.now();
    if ((await send(i)) === 5) deferred++;
    times.push(performance.now() - started);
  }
  return {
    interactions: MESSAGES,
    latencyMsP50: round(percentile(times, 0.5)),
    latencyMsP99: round(percentile(times, 0.99)),
    deferred,
  };
}

const WAITING = 1000;
const CLAIMS = 200;

/** 1,000 conversations waiting: list the queue through the agent API, then claim 200 of them. */
async function benchHandoff(
  base: string,
  store: ReturnType<typeof runtime>["store"],
): Promise<HandoffResult> {
  const { token } = await createAgent(agentRuntime(runtime()).agents, { name: "Bench", role: "agent" });
  const now = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < WAITING; i++) {
    const userKey = `web:handoff-bench-${i}`;
    const at = new Date(now - (WAITING - i) * 1000).toISOString();
    const head: ConversationRecord = {
      conversationId: conversationIdFor(userKey, 1),
      seq: 1,
      channel: "web",
      userKey,
      status: "waiting",
      priority: i % 10 === 0 ? "urgent" : "normal",
      waitingSince: at,
      language: "zh-Hans",
      dialogue: { locale: "zh-Hans", misses: 0 },
      version: 1,
      recentEvents: [],
      lastMessages: [],
      createdAt: at,
      updatedAt: at,
      expiresAt: Math.floor(now / 1000) + 86_400,
    };
    await store.saveHead(head, 0);
    ids.push(head.conversationId);
  }
  const call = async (method: string, path: string) => {
    const started = performance.now();
    const response = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    await response.json();
    return performance.now() - started;
  };
  const listing: number[] = [];
  for (let i = 0; i < 20; i++) listing.push(await call("GET", "agent/conversations?status=waiting"));
  const claims: number[] = [];
  for (const id of ids.slice(0, CLAIMS)) claims.push(await call("POST", `agent/conversations/${id}/claim`));
  return {
    waiting: WAITING,
    queueListingMsP50: round(percentile(listing, 0.5)),
    queueListingMsP99: round(percentile(listing, 0.99)),
    claims: CLAIMS,
    claimMsP50: round(percentile(claims, 0.5)),
    claimMsP99: round(percentile(claims, 0.99)),
  };
}

const TELEGRAM_TOKEN = "7012345678:AAHbenchTokenNotReal_abcdefghijk";
const TELEGRAM_SECRET = "bench-secret";
const META_SECRET = "bench-meta-app-secret";

/** Signed WhatsApp text notifications from separate numbers, answered through the (fake) Send API. */
async function benchMeta(url: URL, graph: FakeMeta): Promise<MetaResult> {
  let id = 1;
  const send = async (from: string, body: string) => {
    const raw = JSON.stringify(
      whatsappNotification(from, [{ id: `wamid.bench${id++}`, type: "text", text: { body } }]),
    );
    const signature = metaSignature(raw, META_SECRET);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: raw,
    });
    await response.text();
  };
  for (let i = 0; i < 30; i++) await send(`861390000${String(i).padStart(4, "0")}`, TEXTS[i % 4] ?? "");
  graph.clear();
  const times: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const started = performance.now();
    await send(`861380000${String(i).padStart(4, "0")}`, TEXTS[i % 4] ?? "");
    times.push(performance.now() - started);
  }
  return {
    messages: MESSAGES,
    latencyMsP50: round(percentile(times, 0.5)),
    latencyMsP99: round(percentile(times, 0.99)),
    outboundCallsPerMessage: graph.calls.length / MESSAGES,
  };
}

/** Text updates from separate private chats, then a button press in each of some of them. */
async function benchTelegram(url: URL, fake: FakeTelegram): Promise<TelegramResult> {
  const signer = telegramButtonSigner(TELEGRAM_SECRET);
  let updateId = 1;
  const send = async (update: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
      body: JSON.stringify(update),
    });
    return response.text();
  };
  const message = (chat: number, text: string) => ({
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: "private" },
      from: { id: chat, is_bot: false, first_name: "Bench", language_code: "zh-hans" },
      text,
    },
  });
  for (let i = 0; i < 30; i++) await send(message(9_000_000 + i, TEXTS[i % 4] ?? ""));
  fake.clear();
  const times: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const started = performance.now();
    await send(message(8_000_000 + i, TEXTS[i % 4] ?? ""));
    times.push(performance.now() - started);
  }
  const perMessage = fake.calls.length / MESSAGES;
  fake.clear();
  const presses = 50;
  for (let i = 0; i < presses; i++) {
    const chat = 8_000_000 + i;
    await send({
      update_id: updateId++,
      callback_query: {
        id: `cb${i}`,
        chat_instance: "1",
        from: { id: chat, is_bot: false, first_name: "Bench" },
        message: { message_id: 1, date: 0, chat: { id: chat, type: "private" } },
        data: signer.sign(chat, "menu"),
      },
    });
  }
  return {
    updates: MESSAGES,
    latencyMsP50: round(percentile(times, 0.5)),
    latencyMsP99: round(percentile(times, 0.99)),
    outboundCallsPerMessage: perMessage,
    outboundCallsPerButton: fake.calls.length / presses,
  };
}

/** The same three requests a new message costs (read head, conditional head write, message batch), alone. */
async function dynamoFloor(store: ReturnType<typeof runtime>["store"]): Promise<number[]> {
  const sample = await store.loadHead(`web:bench-session-${String(0).padStart(12, "0")}`);
  const head = sample.current;
  if (!head) throw new Error("bench: the first message left no conversation");
  const times: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const userKey = `web:floor-${i}`;
    const conversationId = `floor${String(i).padStart(17, "0")}.1`;
    const messages: MessageRecord[] = head.lastMessages.map((m) => ({ ...m, conversationId }));
    const started = performance.now();
    await store.loadHead(userKey);
    await store.saveHead({ ...head, userKey, conversationId, lastMessages: messages }, 0);
    await store.putMessages(messages);
    times.push(performance.now() - started);
  }
  return times;
}

/** Bundles each function as serverless.yml does and times a fresh Node importing it, against an empty bundle. */
export function bundles() {
  const yml = parse(readFileSync(join(ROOT, "serverless.yml"), "utf8")) as {
    custom: { esbuild: EsbuildYml };
    functions: Record<string, { handler: string }>;
  };
  const options = yml.custom.esbuild;
  const dir = mkdtempSync(join(tmpdir(), "guardline-bundles-"));
  try {
    cpSync(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
    mkdirSync(join(dir, "handlers"));
    writeFileSync(
      join(dir, "handlers", "empty.ts"),
      "export const handler = async () => ({ statusCode: 200 });\n",
    );
    // One entry per function of serverless.yml: the scheduled job too, and a function can serve
    // several routes (GET and POST /webhooks/meta).
    const functions = Object.entries(yml.functions).map(
      ([name, fn]) => [name, join(ROOT, `${fn.handler.replace(/\.handler$/, "")}.ts`)] as const,
    );
    // What every function that reads the store pays before any code of its own: the AWS SDK's
    // DynamoDB document client, built as src/store/client.ts builds it.
    writeFileSync(
      join(dir, "handlers", "dynamo-client.ts"),
      `import { createDocumentClient } from ${JSON.stringify(join(ROOT, "src", "store", "client.ts"))};\n` +
        "export const client = createDocumentClient();\n",
    );
    const entries = [
      ...functions,
      [DYNAMO_CLIENT_ALONE, join(dir, "handlers", "dynamo-client.ts")] as const,
      ["empty", join(dir, "handlers", "empty.ts")] as const,
    ];
    const measured = entries.map(([name, entry]) => {
      const outfile = join(dir, "handlers", `${name}.mjs`);
      const inputs = bundle(entry, outfile, options);
      const load = coldLoad(outfile, dir);
      return {
        functionName: name,
        bytes: statSync(outfile).size,
        coldLoadMs: load.totalMs,
        contentLoadMs: load.contentMs,
        codeLoadMs: round(load.totalMs - load.contentMs),
        platformSdks: PLATFORM_SDKS.filter((sdk) => inputs.some((i) => i.includes(`node_modules/${sdk}/`))),
      };
    });
    const empty = measured.find((m) => m.functionName === "empty")?.coldLoadMs ?? Number.NaN;
    return {
      emptyBundleColdLoadMs: empty,
      bundles: measured
        .filter((m) => m.functionName !== "empty")
        .map((m) => ({ ...m, ratioToEmpty: round(m.codeLoadMs / empty) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface EsbuildYml {
  exclude: string[];
  alias: Record<string, string>;
  minify: boolean;
  target: string;
  banner: { js: string };
}

export const DYNAMO_CLIENT_ALONE = "(DynamoDB client alone)";

/** The platform SDKs a bundle may carry: each only in the functions that talk to that platform. */
const PLATFORM_SDKS = ["telegraf", "@discordjs/rest"];

/** Bundles one function; returns the input files esbuild put in it. */
function bundle(entry: string, outfile: string, options: EsbuildYml): string[] {
  const result = buildSync({
    metafile: true,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: options.minify,
    platform: "node",
    format: "esm",
    target: options.target,
    banner: options.banner,
    external: options.exclude,
    alias: options.alias,
    logLevel: "error",
  });
  return Object.keys(result.metafile.inputs);
}

/**
 * Median of 5 fresh processes: import time of the bundle (module evaluation included, as in a cold
 * start), and of that the time spent loading the model and knowledge (or the knowledge alone), which
 * the runtime records as performance measures.
 */
function coldLoad(file: string, taskRoot: string): { totalMs: number; contentMs: number } {
  const names = JSON.stringify([BRAIN_MEASURE, KNOWLEDGE_MEASURE]);
  const script = [
    "const t = performance.now();",
    `await import(${JSON.stringify(file)});`,
    "const total = performance.now() - t;",
    `const content = ${names}.flatMap((n) => performance.getEntriesByName(n)).reduce((sum, e) => sum + e.duration, 0);`,
    "console.log(JSON.stringify([total, content]));",
  ].join("\n");
  const env = {
    ...process.env,
    LAMBDA_TASK_ROOT: taskRoot,
    TABLE_NAME: "guardline-bench",
    AWS_REGION: "ap-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    // Every channel configured, as in a deployment: a function builds its adapter at cold start.
    TELEGRAM_BOT_TOKEN: "7012345678:AAHbenchTokenNotRealAtAll_abc",
    TELEGRAM_SECRET_TOKEN: "bench-secret",
    TELEGRAM_AGENT_CHAT_ID: "-1001234567890",
    DISCORD_APPLICATION_ID: "1234567890123456789",
    DISCORD_PUBLIC_KEY: "a".repeat(64),
    DISCORD_BOT_TOKEN: "bench-bot-token",
    META_APP_SECRET: "bench-app-secret",
    META_VERIFY_TOKEN: "bench-verify-token",
    META_ACCESS_TOKEN: "bench-access-token",
  };
  const runs = Array.from(
    { length: 5 },
    () =>
      JSON.parse(
        execFileSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" }),
      ) as [number, number],
  );
  return {
    totalMs: round(
      percentile(
        runs.map(([total]) => total),
        0.5,
      ),
    ),
    contentMs: round(
      percentile(
        runs.map(([, content]) => content),
        0.5,
      ),
    ),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
