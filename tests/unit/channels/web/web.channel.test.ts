import { describe, expect, it } from "vitest";
import type { Answer, ChannelRequest } from "../../../../src/channels/types.ts";
import { webInbound } from "../../../../src/channels/web/web.adapter.ts";
import { WebChannel } from "../../../../src/channels/web/web.channel.ts";
import { WEB_LIMITS } from "../../../../src/channels/web/web.schemas.ts";
import { ValidationError } from "../../../../src/errors.ts";

const SESSION = "Zq3_kX9-pL2mN8vB4cR7tY";
const channel = new WebChannel();

const request = (body: string | object): ChannelRequest => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  query: {},
  body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8"),
});

/** The ValidationError `receive` refuses the body with. */
async function refusal(body: string | object): Promise<ValidationError> {
  const error = await channel.receive(request(body)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const answer = (overrides: Partial<Answer> = {}): Answer => ({
  replies: [
    { text: "您好，请问需要什么帮助？", buttons: [{ id: "t:fees", label: "手续费" }] },
    { text: "第二条" },
  ],
  language: "zh-Hans",
  say: (key) => `say:${key}`,
  turn: { conversationId: "web:abc.1", status: "bot" },
  ...overrides,
});

describe("WebChannel.receive", () => {
  it("turns a valid post into one inbound event answered in the response", async () => {
    const post = {
      sessionId: SESSION,
      text: "手续费多少",
      clientMessageId: "c1",
      locale: "zh-Hans",
    } as const;
    expect(await channel.receive(request(post))).toStrictEqual({
      events: [{ kind: "inbound", to: {}, message: webInbound(post) }],
    });
  });

  it("takes a body of exactly 64 KB and refuses one byte more, naming the body", async () => {
    // Prepare: valid JSON padded with spaces, so only its size can be refused.
    const json = JSON.stringify({ sessionId: SESSION, text: "hi" });
    const padded = (bytes: number) => `${json.slice(0, -1)}${" ".repeat(bytes - json.length)}}`;

    // Act
    const taken = await channel.receive(request(padded(WEB_LIMITS.bodyBytes)));
    const error = await refusal(padded(WEB_LIMITS.bodyBytes + 1));

    // Assess
    expect(taken).toMatchObject({ events: [{ kind: "inbound" }] });
    expect(error.field).toBe("body");
    expect(error.message).toContain("larger than 65536 bytes");
  });

  it("checks the size before the fields: long text in a large body is refused as the body", async () => {
    const error = await refusal(JSON.stringify({ sessionId: SESSION, text: "x".repeat(70_000) }));
    expect(error.field).toBe("body");
  });

  it("refuses malformed JSON, naming the body", async () => {
    const error = await refusal(`{"sessionId":"${SESSION}","text":"hi"`);
    expect(error).toMatchObject({ field: "body", message: "body: not valid JSON", status: 400 });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("refuses an unknown field, naming it", async () => {
    const error = await refusal({ sessionId: SESSION, text: "hi", userId: "admin" });
    expect(error.field).toBe("userId");
    expect(error.message).toContain("body:");
  });

  it("refuses both text and buttonId, or neither, naming text", async () => {
    const both = await refusal({ sessionId: SESSION, text: "hi", buttonId: "t:fees" });
    const neither = await refusal({ sessionId: SESSION });
    expect([both.field, neither.field]).toEqual(["text", "text"]);
    expect(both.message).toContain("send either text or buttonId");
  });

  it("counts the text limit in characters, not code units", async () => {
    const within = await channel.receive(
      request({ sessionId: SESSION, text: "😀".repeat(WEB_LIMITS.textChars) }),
    );
    const over = await refusal({ sessionId: SESSION, text: "😀".repeat(WEB_LIMITS.textChars + 1) });
    expect(within).toMatchObject({ events: [{ kind: "inbound" }] });
    expect(over.field).toBe("text");
  });

  it("names the field at fault for empty text, a bad session id, button id or locale", async () => {
    const fields = await Promise.all(
      [
        { sessionId: SESSION, text: "  \n " },
        { sessionId: SESSION, text: "x".repeat(WEB_LIMITS.textChars + 1) },
        { sessionId: "short", text: "hi" },
        { sessionId: SESSION, buttonId: "t:费用" },
        { sessionId: SESSION, text: "hi", locale: "fr" },
        { sessionId: SESSION, text: "hi", clientMessageId: "a b" },
      ].map(async (body) => (await refusal(body)).field),
    );
    expect(fields).toEqual(["text", "text", "sessionId", "buttonId", "locale", "clientMessageId"]);
  });
});

describe("WebChannel.exchange", () => {
  it("finishes with the conversation, its status and the replies of the answer", async () => {
    // Prepare
    const exchange = channel.exchange();
    const given = answer();
    const [event] = (await channel.receive(request({ sessionId: SESSION, text: "hi" }))).events;

    // Act
    if (event?.kind !== "inbound") throw new Error("expected an inbound event");
    await exchange.reply(event, async () => given);
    const response = exchange.finish();

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body)).toStrictEqual({
      conversationId: "web:abc.1",
      status: "bot",
      replies: given.replies,
    });
  });

  it("refuses to finish a turn that produced no answer", async () => {
    const event = {
      kind: "inbound" as const,
      to: {},
      message: webInbound({ sessionId: SESSION, text: "hi" }),
    };
    const unanswered = channel.exchange();
    await unanswered.reply(event, async () => undefined);
    const { turn: _, ...withoutTurn } = answer();
    const noTurn = channel.exchange();
    await noTurn.reply(event, async () => withoutTurn);
    expect(() => unanswered.finish()).toThrow("produced no answer");
    expect(() => noTurn.finish()).toThrow("produced no answer");
  });

  it("delivers nothing itself: the page polls for an agent's messages", async () => {
    await expect(channel.deliver()).resolves.toBeUndefined();
  });
});
