import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { Throttle } from "../../src/channels/telegram/telegram.agents.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { FakeTelegram } from "../support/fake-telegram.ts";

const SECRET = "group-test-secret";
const GROUP = -1001234567890;
const ALICE_TG = 5550001;
const fake = new FakeTelegram();
let server: LocalServer;
let updateId = 1;

beforeAll(async () => {
  configureLog({ level: "error" });
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: "7012345678:AAHfakeTokenForTestsOnly_abcdefghijk",
    TELEGRAM_SECRET_TOKEN: SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
    TELEGRAM_AGENT_CHAT_ID: String(GROUP),
  });
  server = await startLocalServer({ tableName: "guardline-agent-group" });
  const { agents } = agentRuntime(runtime());
  const alice = await createAgent(agents, { name: "Alice", role: "agent" });
  await agents.linkTelegram(alice.id, ALICE_TG);
}, 30_000);

afterAll(async () => {
  await server?.close();
  await fake.stop();
  for (const name of [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_API_ROOT",
    "TELEGRAM_AGENT_CHAT_ID",
  ])
    delete process.env[name];
});

beforeEach(() => fake.clear());

async function telegram(update: Record<string, unknown>) {
  const response = await fetch(new URL("webhooks/telegram", server.url), {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
  return response.status;
}

/** An agent (or anyone) writing in a topic of the agents' group. */
function inTopic(thread: number, from: number, text: string) {
  return telegram({
    message: {
      message_id: updateId,
      date: 1,
      chat: { id: GROUP, type: "supergroup" },
      message_thread_id: thread,
      from: { id: from, is_bot: false, first_name: "Agent" },
      text,
    },
  });
}

async function web(sessionId: string, text: string) {
  const response = await fetch(new URL("web/messages", server.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId, text }),
  });
  return (await response.json()) as { conversationId: string; status: string; replies: { text: string }[] };
}

describe("the agents' Telegram group", () => {
  it("opens a topic per handoff, and agents claim, reply, hand back from it", async () => {
    // Prepare: a web user asks for a person
    const sessionId = "group-test-session-00000001";
    const asked = await web(sessionId, "我要转人工客服");
    const topic = fake.of("createForumTopic")[0];
    const posts = () => fake.of("sendMessage").filter((m) => m.chat_id === GROUP);
    expect(topic).toMatchObject({ chat_id: GROUP });
    const thread = posts()[0]?.message_thread_id as number;
    expect(posts()[0]?.text).toContain("我要转人工客服");
    expect(posts()[0]?.text).toContain("/claim");

    // Act: claim and reply from the topic
    fake.clear();
    await inTopic(thread, ALICE_TG, "/claim");
    await inTopic(thread, ALICE_TG, "您好，我是 Alice");
    const held = await web(sessionId, "谢谢");

    // Assess
    expect(posts()[0]?.text).toContain("Alice claimed");
    expect(held.replies).toEqual([]);
    expect(posts().at(-1)).toMatchObject({ message_thread_id: thread, text: "👤 谢谢" });
    const history = (await (
      await fetch(new URL(`web/messages?sessionId=${sessionId}`, server.url))
    ).json()) as {
      messages: { from: string; text: string }[];
    };
    expect(history.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toContainEqual([
      "agent",
      "您好，我是 Alice",
    ]);

    // Act: a note stays internal; hand back; the bot answers again
    await inTopic(thread, ALICE_TG, "/note 已核实身份");
    await inTopic(thread, ALICE_TG, "/back");
    const again = await web(sessionId, "手续费怎么算");

    // Assess
    expect(again.conversationId).toBe(asked.conversationId);
    expect(again.replies[0]?.text).toContain("手续费");
    const after = await (await fetch(new URL(`web/messages?sessionId=${sessionId}`, server.url))).json();
    expect(JSON.stringify(after)).not.toContain("已核实身份");
  });

  it("tells a sender who is not an agent, and ignores messages outside topics", async () => {
    const sessionId = "group-test-session-00000002";
    await web(sessionId, "转人工");
    const thread = fake.of("sendMessage").find((m) => m.chat_id === GROUP)?.message_thread_id as number;
    fake.clear();
    expect(await inTopic(thread, 999, "/claim")).toBe(200);
    expect(fake.of("sendMessage")[0]?.text).toContain("not registered as an agent");
    fake.clear();
    expect(
      await telegram({
        message: {
          message_id: 9,
          date: 1,
          chat: { id: GROUP, type: "supergroup" },
          from: { id: ALICE_TG, is_bot: false, first_name: "A" },
          text: "hello all",
        },
      }),
    ).toBe(200);
    expect(fake.calls).toEqual([]);
  });
});

describe("the safety layer on replies from the agents' group", () => {
  it("refuses a non-registry contact in the topic, delivers registry contacts, redacts a phrase", async () => {
    // Prepare: a web user's conversation, claimed from its topic
    const sessionId = "group-test-session-00000003";
    await web(sessionId, "转人工");
    const thread = fake.of("sendMessage").find((m) => m.chat_id === GROUP)?.message_thread_id as number;
    await inTopic(thread, ALICE_TG, "/claim");
    const history = async () =>
      (
        (await (await fetch(new URL(`web/messages?sessionId=${sessionId}`, server.url))).json()) as {
          messages: { from: string; text: string }[];
        }
      ).messages.filter((m) => m.from === "agent");
    fake.clear();

    // Act + Assess: a lookalike site and an unlisted number are refused, in the topic, and not sent
    expect(await inTopic(thread, ALICE_TG, "请拨打 +86 400 123 4567 或访问 wallet-example-support.com")).toBe(
      200,
    );
    const warning = fake.of("sendMessage").find((m) => m.chat_id === GROUP);
    expect(warning).toMatchObject({ message_thread_id: thread });
    expect(warning?.text).toContain('"+86 400 123 4567"');
    expect(warning?.text).toContain("not in the official contact registry");
    expect(await history()).toEqual([]);

    // Act + Assess: registry contacts go through; a phrase goes through redacted
    await inTopic(thread, ALICE_TG, "官方热线 +1 202-555-0100");
    await inTopic(
      thread,
      ALICE_TG,
      "不要把 abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about 这样的助记词给任何人",
    );
    expect((await history()).map((m) => m.text)).toEqual([
      "官方热线 +1 202-555-0100",
      "不要把 [REDACTED:mnemonic] 这样的助记词给任何人",
    ]);
  });
});

describe("throttle", () => {
  it("lets 20 messages a minute through at once, then spaces the rest", async () => {
    let now = 0;
    const waits: number[] = [];
    const throttle = new Throttle(
      20,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    for (let i = 0; i < 22; i++) await throttle.take();
    expect(waits).toEqual([3000, 3000]);
  });
});
