import type autocannon from "autocannon";
import { agentRuntime } from "../src/app/agents.ts";
import { runtime } from "../src/app/runtime.ts";
import { createAgent } from "../src/handoff/agent-auth.ts";
import { metaRequest, send, telegramRequest, webRequest } from "./load-channels.ts";
import type { CostRow } from "./load-cost.ts";
import type { meterStore } from "./load-meter.ts";
import { perUnit } from "./load-meter.ts";
import {
  type Built,
  type Calibration,
  countStored,
  type Drive,
  drive,
  type LoadResult,
  type Measured,
  newMarker,
  summarise,
} from "./load-support.ts";

/**
 * The agent API under load. Users on every channel ask for a person until a queue is waiting; then a
 * small team works it the way the console does: each connection, as one of the agents, claims the
 * next conversation, reads its transcript, replies three times, resolves it and refreshes its lists
 * (the waiting queue at most every 3 s per agent, as the console polls; its own conversations
 * otherwise), then starts over. Every reply answered 2xx must be in the store, once, as an agent
 * message.
 */

const AGENTS = 5;
const REPLIES = 3;
/** Conversations kept out of the run for the calibration afterwards. */
const RESERVED = 30;
/** How often the console refreshes the queue. */
const QUEUE_POLL_MS = 3000;

const ASK_FOR_A_PERSON: Record<string, string> = {
  web: "我要转人工客服",
  telegram: "/human",
  whatsapp: "human please",
  messenger: "I want to talk to a human",
};
const REPLY_TEXTS = [
  "您好，我是客服，正在为您查询。",
  "Thanks for waiting, I am checking this now.",
  "請問轉帳是甚麼時候做的？",
];

interface CycleContext {
  agent?: number;
  id?: string;
}

export async function agentScenario(
  base: URL,
  pace: Drive,
  meter: ReturnType<typeof meterStore>,
): Promise<{ result: LoadResult; queue: string[]; tokens: string[] }> {
  const { agents } = agentRuntime(runtime());
  const tokens: string[] = [];
  for (let i = 0; i < AGENTS; i++)
    tokens.push((await createAgent(agents, { name: `Load agent ${i + 1}`, role: "agent" })).token);
  // Enough for the whole run at a few hundred requests a second, bounded by what a connection may send.
  const perConnection = Math.max(2, Math.ceil(Math.min(2400, pace.durationS * 40) / pace.connections));
  const queue = await seedQueue(base, perConnection * pace.connections + RESERVED);
  const pool = queue.slice(0, -RESERVED);
  process.stderr.write(`· agent: ${queue.length} conversations waiting, ${AGENTS} agents\n`);

  const sent = { keys: new Set<string>() };
  const counts = { claimed: 0, replied: 0, resolved: 0, queueListings: 0, ownListings: 0 };
  let turn = 0;
  const auth = (context: CycleContext) => ({ authorization: `Bearer ${tokens[context.agent ?? 0]}` });
  const on = (key: "claimed" | "replied" | "resolved") => (status: number) => {
    if (status >= 200 && status < 300) counts[key]++;
  };
  const step = (build: (context: CycleContext) => Built, onResponse?: (status: number) => void) => ({
    setupRequest: (req: autocannon.Request, context: object) => {
      const built = build(context as CycleContext);
      return {
        ...req,
        method: built.method ?? "POST",
        path: built.path,
        headers: { ...built.headers, ...auth(context as CycleContext) },
        ...(built.body === undefined ? {} : { body: built.body }),
      };
    },
    ...(onResponse ? { onResponse } : {}),
  });
  const conversation = (context: CycleContext) => `/agent/conversations/${context.id}`;
  // Like the console, each agent lists the queue at most every 3 s, and its own conversations otherwise.
  const listedAt = new Array<number>(AGENTS).fill(0);
  const list = (context: CycleContext): Built => {
    const agent = context.agent ?? 0;
    const due = performance.now() - (listedAt[agent] ?? 0) >= QUEUE_POLL_MS;
    if (due) listedAt[agent] = performance.now();
    counts[due ? "queueListings" : "ownListings"]++;
    return { method: "GET", path: `/agent/conversations?status=${due ? "waiting" : "mine"}`, headers: {} };
  };
  const cycle: autocannon.Request[] = [
    step((context) => {
      context.agent = turn++ % AGENTS;
      context.id = pool.shift() ?? "none";
      return { path: `${conversation(context)}/claim`, headers: {} };
    }, on("claimed")),
    step((context) => ({ method: "GET", path: conversation(context), headers: {} })),
    ...Array.from({ length: REPLIES }, (_, i) =>
      step((context) => {
        const marker = newMarker();
        sent.keys.add(marker);
        return {
          path: `${conversation(context)}/messages`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text: `#${marker} ${REPLY_TEXTS[i % REPLY_TEXTS.length]}` }),
        };
      }, on("replied")),
    ),
    step((context) => ({ path: `${conversation(context)}/resolve`, headers: {} }), on("resolved")),
    step(list),
  ];
  meter.take();
  const result = await drive("agent", base, pace, cycle, {
    maxConnectionRequests: perConnection * cycle.length,
  });
  await meter.quiet();
  const usage = meter.take();
  process.stderr.write(
    `· agent: ${counts.claimed} claimed, ${counts.replied} replies, ${counts.resolved} resolved, ` +
      `${counts.queueListings} queue listings, ${counts.ownListings} own\n`,
  );
  const counted = await countStored(sent.keys, { from: "agent" });
  return {
    result: {
      ...summarise("agent", pace, result, counts.replied, counted),
      storePerMessage: perUnit(usage, counted.stored),
    },
    queue: queue.slice(-RESERVED),
    tokens,
  };
}

/** Users ask for a person on each channel in turn, 25 at a time; the waiting queue, in its order. */
async function seedQueue(base: URL, n: number): Promise<string[]> {
  const asks: Built[] = [];
  for (let i = 0; i < n; i++) {
    const channel = Object.keys(ASK_FOR_A_PERSON)[i % 4] ?? "web";
    const text = ASK_FOR_A_PERSON[channel] ?? "";
    const marker = newMarker();
    if (channel === "web")
      asks.push({
        ...webRequest(marker),
        body: JSON.stringify({ sessionId: `load-${marker}-session`, text }),
      });
    else if (channel === "telegram") asks.push(telegramRequest(marker, undefined, text));
    else
      asks.push(metaRequest(marker, channel === "whatsapp" ? "whatsapp" : "messenger", 5_000_000 + i, text));
  }
  for (let i = 0; i < asks.length; i += 25) {
    const statuses = await Promise.all(
      asks.slice(i, i + 25).map(async (ask) => {
        const response = await send(base, ask);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    if (statuses.some((s) => s !== 200))
      throw new Error(`load: a request for a person was answered ${statuses}`);
  }
  const waiting = await runtime().store.listQueue("waiting", n + 100);
  if (waiting.length !== n) throw new Error(`load: ${waiting.length} of ${n} conversations are waiting`);
  return waiting.map((head) => head.conversationId);
}

/**
 * The reserved conversations, one request at a time: a queue listing, a claim, the transcript, three
 * replies and the resolution each, as one agent.
 */
export async function calibrateAgent(
  calibration: Calibration,
  base: URL,
  reserved: { queue: string[]; tokens: string[] },
): Promise<{ rows: CostRow[]; listing: Measured; waitingAtListing: number }> {
  const headers = { authorization: `Bearer ${reserved.tokens[0]}`, "content-type": "application/json" };
  const call = (method: string, path: string, body?: unknown) => () =>
    fetch(new URL(path.slice(1), base), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const waitingAtListing = (await runtime().store.listQueue("waiting")).length;
  for (const id of reserved.queue) {
    const path = `/agent/conversations/${id}`;
    await calibration.time("GET /agent/conversations", call("GET", "/agent/conversations?status=waiting"));
    await calibration.time("POST /agent/conversations/{id}/claim", call("POST", `${path}/claim`));
    await calibration.time("GET /agent/conversations/{id}", call("GET", path));
    for (const text of REPLY_TEXTS)
      await calibration.time(
        "POST /agent/conversations/{id}/messages",
        call("POST", `${path}/messages`, { text }),
      );
    await calibration.time("POST /agent/conversations/{id}/resolve", call("POST", `${path}/resolve`));
  }
  const measured = (route: string) => calibration.measured(route);
  const reply = measured("POST /agent/conversations/{id}/messages");
  return {
    rows: [
      { label: "agent replies", invocations: [{ measured: reply, perUnit: 1 }] },
      {
        label: "conversations agents handle (claim, transcript, 3 replies, resolve)",
        invocations: [
          { measured: measured("POST /agent/conversations/{id}/claim"), perUnit: 1 },
          { measured: measured("GET /agent/conversations/{id}"), perUnit: 1 },
          { measured: reply, perUnit: REPLIES },
          { measured: measured("POST /agent/conversations/{id}/resolve"), perUnit: 1 },
        ],
      },
    ],
    listing: measured("GET /agent/conversations"),
    waitingAtListing,
  };
}
