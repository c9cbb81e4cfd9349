import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Answer,
  AnswerableEvent,
  ChannelAdapter,
  ChannelEvent,
  ChannelLimits,
} from "../../../src/channels/types.ts";
import { loadBrain } from "../../../src/config.ts";
import { ChannelApiError, ConflictError, ServiceUnavailableError } from "../../../src/errors.ts";
import type { BotDependencies } from "../../../src/handoff/inbound.ts";
import { resumeChannel, serveChannel } from "../../../src/handoff/turn.ts";
import { type EmbeddedDynamo, startEmbeddedDynamo } from "../../../src/local/embedded-dynamo.ts";
import { configureLog } from "../../../src/log.ts";
import { createDocumentClient } from "../../../src/store/client.ts";
import { DynamoConversationStore } from "../../../src/store/conversation-store.ts";
import { ensureTable } from "../../../src/store/ensure-table.ts";
import { type CapturedLogs, captureLogs } from "../../support/log-capture.ts";

const TABLE = "guardline-turn";
let dynamo: EmbeddedDynamo;
let client: ReturnType<typeof createDocumentClient>;
let bot: BotDependencies;
let logs: CapturedLogs;

beforeAll(async () => {
  configureLog({ level: "info" });
  logs = captureLogs();
  dynamo = await startEmbeddedDynamo();
  client = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(client, TABLE);
  bot = { store: new DynamoConversationStore(client, TABLE), brain: loadBrain(), retentionDays: 1 };
});

afterAll(async () => {
  logs.stop();
  configureLog({ level: "error" });
  client?.destroy();
  await dynamo?.close();
});

type To = { user: string };

/** A platform of the test's own: its events come from the request body, its exchange records answers. */
class RecordingAdapter implements ChannelAdapter<To> {
  readonly name = "web";
  readonly answered: { event: AnswerableEvent<To>; answer: Answer }[] = [];
  failWith: Error | undefined;

  constructor(readonly limits: ChannelLimits) {}

  async receive(request: { body: Buffer }) {
    const events = JSON.parse(request.body.toString("utf8")) as ChannelEvent<To>[];
    return { events };
  }

  exchange() {
    return {
      reply: async (event: AnswerableEvent<To>, answer: () => Promise<Answer | undefined>) => {
        const result = await answer();
        if (this.failWith) throw this.failWith;
        if (result) this.answered.push({ event, answer: result });
      },
      finish: () => ({ statusCode: 200, body: String(this.answered.length) }),
    };
  }

  resume(payload: unknown) {
    return { events: payload as ChannelEvent<To>[], exchange: this.exchange() };
  }

  async deliver(): Promise<void> {}
}

const limits = (overrides: Partial<ChannelLimits> = {}): ChannelLimits => ({
  redelivers: false,
  ...overrides,
});

function serve(adapter: RecordingAdapter, events: ChannelEvent<To>[]) {
  const body = Buffer.from(JSON.stringify(events));
  return serveChannel(adapter, bot, { method: "POST", headers: {}, query: {}, body });
}

const inbound = (user: string, text: string, eventId?: string): ChannelEvent<To> => ({
  kind: "inbound",
  to: { user },
  message: {
    channel: "web",
    userKey: `web:${user}`,
    ...(eventId ? { eventId } : {}),
    content: { type: "text", text },
  },
});

describe("serveChannel", () => {
  it("answers every event in order through the bot path, skipping what the adapter ignores", async () => {
    // Prepare
    const adapter = new RecordingAdapter(limits());

    // Act
    const response = await serve(adapter, [
      inbound("turn-order-user-0000001", "how do I withdraw to my bank card"),
      { kind: "ignore", reason: "a read receipt" },
      inbound("turn-order-user-0000002", "提现多久到账"),
    ]);

    // Assess
    expect(response).toEqual({ statusCode: 200, body: "2" });
    expect(adapter.answered.map((a) => a.event.to.user)).toEqual([
      "turn-order-user-0000001",
      "turn-order-user-0000002",
    ]);
    expect(adapter.answered.map((a) => a.answer.language)).toEqual(["en", "zh-Hans"]);
    expect(adapter.answered[0]?.answer.turn).toMatchObject({ status: "bot" });
    expect(adapter.answered[0]?.answer.replies[0]?.text.length).toBeGreaterThan(20);
  });

  it("answers a notice and the forget question in the conversation's language, not the platform's hint", async () => {
    // Prepare: a conversation held in Traditional Chinese; the platform says English
    const adapter = new RecordingAdapter(limits());
    const user = "turn-language-user-00001";
    await serve(adapter, [inbound(user, "我的帳號被鎖了怎麼辦")]);
    const to = { user };

    // Act
    await serve(adapter, [
      { kind: "notice", to, userKey: `web:${user}`, notice: "unsupportedMessage", localeHint: "en" },
      { kind: "forget", to, userKey: `web:${user}`, step: "ask", localeHint: "en" },
    ]);

    // Assess
    const [notice, forget] = adapter.answered.slice(-2).map((a) => a.answer);
    expect(notice?.language).toBe("zh-Hant");
    expect(notice?.replies[0]?.text).toBe(notice?.say("unsupportedMessage"));
    expect(forget?.replies[0]?.text).toBe(forget?.say("forgetConfirm"));
    expect(forget?.replies[0]?.buttons?.map((b) => b.id)).toEqual(["forget:yes", "forget:no"]);
  });

  it("deletes the user's conversations only on the forget confirmation", async () => {
    // Prepare
    const adapter = new RecordingAdapter(limits());
    const user = "turn-forget-user-0000001";
    const userKey = `web:${user}`;
    await serve(adapter, [inbound(user, "手续费怎么算")]);

    // Act
    await serve(adapter, [{ kind: "forget", to: { user }, userKey, step: "cancel" }]);
    const afterCancel = await bot.store.loadHead(userKey);
    await serve(adapter, [{ kind: "forget", to: { user }, userKey, step: "confirm" }]);
    const afterConfirm = await bot.store.loadHead(userKey);

    // Assess
    expect(afterCancel.current?.userKey).toBe(userKey);
    expect(afterConfirm.current).toBeUndefined();
    expect(adapter.answered.at(-1)?.answer.replies[0]?.text).toBe(
      adapter.answered.at(-1)?.answer.say("forgetDone"),
    );
  });

  it("a prompt gets no replies, only the conversation's language for the form", async () => {
    const adapter = new RecordingAdapter(limits());
    await serve(adapter, [
      { kind: "prompt", to: { user: "p" }, userKey: "web:turn-prompt-user-000001", localeHint: "en" },
    ]);
    expect(adapter.answered[0]?.answer).toMatchObject({ replies: [], language: "en" });
    expect(adapter.answered[0]?.answer.say("writeReplyTitle")).not.toBe("");
  });

  it("does not answer a redelivery that arrives within the replay window, and answers it after", async () => {
    // Prepare
    const quick = new RecordingAdapter(limits({ replayAfterMs: 60_000 }));
    const late = new RecordingAdapter(limits({ replayAfterMs: 0 }));
    const event = inbound("turn-replay-user-0000001", "what are the transfer fees", "evt-replay-1");

    // Act
    await serve(quick, [event]);
    await serve(quick, [event]);
    await serve(late, [event]);

    // Assess
    expect(quick.answered).toHaveLength(1);
    expect(late.answered).toHaveLength(1);
    expect(late.answered[0]?.answer.replies).toEqual(quick.answered[0]?.answer.replies);
  });

  it("on a platform that redelivers, logs a permanent failure and answers; a transient one fails the request", async () => {
    // Prepare
    const redelivers = new RecordingAdapter(limits({ redelivers: true }));
    const strict = new RecordingAdapter(limits({ redelivers: false }));
    const event = inbound("turn-failure-user-000001", "hello");

    // Act + Assess: permanent
    redelivers.failWith = new ChannelApiError("web", "send", 400, "bad request");
    await expect(serve(redelivers, [event])).resolves.toMatchObject({ statusCode: 200 });
    expect(
      logs.raw.some((l) => l.includes('"message":"channel event failed"') && l.includes('"kind":"inbound"')),
    ).toBe(true);
    // Transient: the platform must redeliver
    redelivers.failWith = new ChannelApiError("web", "send", 503, "unavailable");
    await expect(serve(redelivers, [event])).rejects.toThrow("unavailable");
    // A platform that does not redeliver hears of every failure
    strict.failWith = new ChannelApiError("web", "send", 400, "bad request");
    await expect(serve(strict, [event])).rejects.toThrow("bad request");
  });

  it("resumes a deferred answer from the adapter's payload, and declines a payload it does not know", async () => {
    // Prepare
    const adapter = new RecordingAdapter(limits());
    const withoutResume: ChannelAdapter<To> = {
      name: "web",
      limits: limits(),
      receive: (request) => adapter.receive(request),
      exchange: () => adapter.exchange(),
      deliver: async () => {},
    };

    // Act
    const resumed = await resumeChannel(adapter, bot, [inbound("turn-resume-user-0000001", "转人工")]);
    const declined = await resumeChannel(withoutResume, bot, []);

    // Assess
    expect(resumed).toBe(true);
    expect(declined).toBe(false);
    expect(adapter.answered[0]?.answer.turn?.status).toBe("waiting");
  });
});

describe("a conversation that keeps changing under the turn", () => {
  it("is retried within the budget, then answered as busy (503, Retry-After) with no internal id", async () => {
    // Prepare: the real store, whose head write loses every race (another writer always got there first)
    const store = bot.store as DynamoConversationStore;
    const racing = Object.create(store) as DynamoConversationStore;
    let writes = 0;
    racing.saveHead = async (head) => {
      writes++;
      throw new ConflictError(
        `conversation ${head.conversationId} changed since version ${head.version - 1}`,
      );
    };
    const adapter = new RecordingAdapter(limits());
    const body = Buffer.from(JSON.stringify([inbound("turn-busy-user-000000001", "hello")]));

    // Act
    const failure = await serveChannel(
      adapter,
      { ...bot, store: racing, raceBudgetMs: 150 },
      {
        method: "POST",
        headers: {},
        query: {},
        body,
      },
    ).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect((failure as ServiceUnavailableError).retryAfterSeconds).toBe(1);
    expect((failure as Error).message).not.toMatch(/turn-busy|version|\.1/);
    expect(writes).toBeGreaterThan(2);
    expect(adapter.answered).toEqual([]);
  });
});
