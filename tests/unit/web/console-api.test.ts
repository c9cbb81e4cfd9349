import { afterEach, describe, expect, it } from "vitest";
import { ConsoleApi, ConsoleApiError, conversationPath } from "../../../web/console/api.ts";
import { type ApiReply, type ApiRequest, JsonApiServer } from "../../support/json-api-server.ts";

/** The console's calls against a real HTTP server on 127.0.0.1 that answers from a script. */
const TEXTS = { error: "generic error", network: "no network" };
let server: JsonApiServer | undefined;

async function serve(reply: ApiReply, onUnauthorized?: () => void) {
  const requests: ApiRequest[] = [];
  server = new JsonApiServer((request) => {
    requests.push(request);
    return reply;
  });
  const base = await server.start();
  const api = new ConsoleApi(TEXTS, { base, ...(onUnauthorized ? { onUnauthorized } : {}) });
  api.token = "agent-token";
  return { api, requests };
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("ConsoleApi", () => {
  it("sends the bearer token and a JSON body, and answers the JSON object", async () => {
    const { api, requests } = await serve({ status: 200, body: { message: { id: "m1", text: "hi" } } });

    const answer = await api.call("POST", conversationPath("c/1?x", "messages"), { text: "hi" });

    expect(answer).toEqual({ message: { id: "m1", text: "hi" } });
    expect(requests[0]).toMatchObject({
      method: "POST",
      url: "/agent/conversations/c%2F1%3Fx/messages",
      body: { text: "hi" },
    });
    expect(requests[0]?.headers.authorization).toBe("Bearer agent-token");
    expect(requests[0]?.headers["content-type"]).toBe("application/json");
    expect(requests[0]?.headers.cookie).toBeUndefined();
  });

  it("passes on a 4xx's own reason (the registry's refusal), shortened", async () => {
    const reason = `not in the official contact registry: ${"x".repeat(400)}`;
    const { api } = await serve({ status: 422, body: { error: { message: reason } } });
    const error = await api.call("POST", "/agent/conversations/c/messages", { text: "x" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConsoleApiError);
    expect(error.status).toBe(422);
    expect(error.message).toHaveLength(300);
    expect(error.message.startsWith("not in the official contact registry")).toBe(true);
  });

  it("keeps a 5xx's details to itself, and calls a 200 that is not an object an error", async () => {
    const failing = await serve({ status: 500, body: { error: { message: "stack trace" } } });
    await expect(failing.api.call("GET", "/agent/me")).rejects.toThrow("generic error");
    await server?.stop();
    const odd = await serve({ status: 200, body: ["not", "an", "object"] });
    await expect(odd.api.call("GET", "/agent/me")).rejects.toMatchObject({
      status: 200,
      message: "generic error",
    });
  });

  it("hears a 401 (the session is over) and still fails the call", async () => {
    let ended = 0;
    const { api } = await serve({ status: 401, body: { error: { message: "unauthorized" } } }, () => {
      ended += 1;
    });
    await expect(api.call("GET", "/agent/conversations?status=mine")).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
  });

  it("says the network is down when the server cannot be reached, in the texts it has now", async () => {
    const api = new ConsoleApi(TEXTS, { base: "http://127.0.0.1:9" });
    api.texts = { error: "出错了", network: "无法连接服务器" };
    await expect(api.call("GET", "/agent/me")).rejects.toMatchObject({
      status: 0,
      message: "无法连接服务器",
    });
  });
});
