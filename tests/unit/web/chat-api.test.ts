import { afterEach, describe, expect, it } from "vitest";
import { ChatApi, ChatApiError } from "../../../web/chat/api.ts";
import { type ApiReply, type ApiRequest, JsonApiServer } from "../../support/json-api-server.ts";

/** The chat page's calls against a real HTTP server on 127.0.0.1 that answers from a script. */
const TEXTS = { error: "generic error", network: "no network" };
let server: JsonApiServer | undefined;

async function serve(replies: ApiReply[]): Promise<{ api: ChatApi; requests: ApiRequest[] }> {
  const requests: ApiRequest[] = [];
  server = new JsonApiServer((request) => {
    requests.push(request);
    return replies[Math.min(requests.length, replies.length) - 1] ?? { status: 500 };
  });
  const base = await server.start();
  return { api: new ChatApi(TEXTS, { base, retryDelayMs: 5 }), requests };
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const BODY = { sessionId: "s".repeat(32), clientMessageId: "c-1", locale: "en", text: "fees?" };

describe("ChatApi.post", () => {
  it("retries a 503 once with the same body, so the server's dedupe answers the user once", async () => {
    // Prepare
    const { api, requests } = await serve([
      { status: 503, body: { error: { message: "busy" } } },
      {
        status: 200,
        body: { replies: [{ text: "Fees are…", buttons: [{ id: "b1", label: "Yes" }, { id: 2 }] }] },
      },
    ]);

    // Act
    const answer = await api.post(BODY);

    // Assess
    expect(requests).toHaveLength(2);
    expect(requests[0]?.body).toEqual(BODY);
    expect(requests[1]?.body).toEqual(requests[0]?.body);
    expect(answer).toEqual({ replies: [{ text: "Fees are…", buttons: [{ id: "b1", label: "Yes" }] }] });
  });

  it("does not retry a 4xx, and shows the server's own short message", async () => {
    const { api, requests } = await serve([
      { status: 400, body: { error: { message: `text: ${"x".repeat(300)}` } } },
    ]);
    const error = await api.post(BODY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect((error as ChatApiError).status).toBe(400);
    expect((error as ChatApiError).message).toHaveLength(200);
    expect(requests).toHaveLength(1);
  });

  it("keeps a 500's details to itself", async () => {
    const { api } = await serve([{ status: 500, body: { error: { message: "stack trace here" } } }]);
    await expect(api.post(BODY)).rejects.toThrow("generic error");
  });

  it("passes on what the store kept of the user's text (a secret redacted)", async () => {
    const stored = { id: "m1", from: "user", text: "my phrase is [redacted]", at: "2026-12-04T10:00:00Z" };
    const { api } = await serve([{ status: 200, body: { message: stored, replies: [] } }]);
    expect(await api.post(BODY)).toEqual({ stored, replies: [] });
  });

  it("says the network is down after the retry fails too", async () => {
    const api = new ChatApi(TEXTS, { base: "http://127.0.0.1:9", retryDelayMs: 5 });
    const error = await api.post(BODY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status: 0, message: "no network" });
  });
});

describe("ChatApi.list", () => {
  it("asks after the cursor and keeps only messages the page can show", async () => {
    const { api, requests } = await serve([
      {
        status: 200,
        body: {
          messages: [
            { id: "1", from: "bot", text: "hi" },
            { id: "2", from: "note", text: "x" },
          ],
          cursor: "c9",
        },
      },
    ]);
    const page = await api.list("session-id-1234567890ab", "c8");
    expect(page).toEqual({ messages: [{ id: "1", from: "bot", text: "hi" }], cursor: "c9" });
    expect(requests[0]?.url).toBe("/web/messages?sessionId=session-id-1234567890ab&after=c8");
  });

  it("treats an answer without a message list as an error", async () => {
    const { api } = await serve([{ status: 200, body: { messages: "nope" } }]);
    await expect(api.list("session-id-1234567890ab", null)).rejects.toThrow("generic error");
  });
});
