import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GRAPH_VERSION, GraphApi, MetaApiError } from "../../../../src/channels/meta/graph-api.ts";
import type {
  MessengerOutgoing,
  MetaUser,
  WhatsappOutgoing,
} from "../../../../src/channels/meta/meta.adapter.ts";
import { isTransient } from "../../../../src/channels/transient.ts";
import { ChannelApiError } from "../../../../src/errors.ts";
import { FakeMeta } from "../../../support/fake-meta.ts";
import { JsonApiServer } from "../../../support/json-api-server.ts";

const TOKEN = "EAAGgraphApiUnitTestAccessToken0123456789";
const wa: MetaUser = { platform: "whatsapp", phoneNumberId: "106540352242922", waId: "8613800000000" };
const fb: MetaUser = { platform: "messenger", pageId: "104250825763518", psid: "6500000000000001" };
const text: WhatsappOutgoing = { type: "text", text: { body: "您好", preview_url: false } };
const quick: MessengerOutgoing = {
  text: "您好",
  quick_replies: [{ content_type: "text", title: "人工客服", payload: "human~abc" }],
};
const fake = new FakeMeta();
let api: GraphApi;

beforeAll(async () => {
  // A trailing slash on the root must not double the path's.
  api = new GraphApi(`${await fake.start()}/`, TOKEN);
});
afterAll(() => fake.stop());
beforeEach(() => fake.clear());

/** The MetaApiError a send fails with. */
async function failure(send: Promise<void>): Promise<MetaApiError> {
  const error = await send.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MetaApiError);
  return error as MetaApiError;
}

describe("GraphApi.send", () => {
  it("sends a WhatsApp message from the number the user wrote to", async () => {
    await api.send(wa, text);
    expect(fake.calls.map((c) => c.path)).toEqual([`/${GRAPH_VERSION}/106540352242922/messages`]);
    expect(fake.calls[0]?.body).toStrictEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "8613800000000",
      type: "text",
      text: { body: "您好", preview_url: false },
    });
  });

  it("sends a Messenger message from the page, as a response within the window", async () => {
    await api.send(fb, quick);
    expect(fake.calls.map((c) => c.path)).toEqual([`/${GRAPH_VERSION}/104250825763518/messages`]);
    expect(fake.calls[0]?.body).toStrictEqual({
      recipient: { id: "6500000000000001" },
      messaging_type: "RESPONSE",
      message: quick,
    });
  });

  it("tags a Messenger message HUMAN_AGENT only when asked, and never a WhatsApp one", async () => {
    // Act
    await api.send(fb, quick, { humanAgent: true });
    await api.send(fb, quick, { humanAgent: false });
    await api.send(wa, text, { humanAgent: true });

    // Assess
    const [tagged, untagged, whatsapp] = fake.calls.map((c) => c.body);
    expect(tagged).toStrictEqual({
      recipient: { id: "6500000000000001" },
      messaging_type: "MESSAGE_TAG",
      tag: "HUMAN_AGENT",
      message: quick,
    });
    expect(untagged).toMatchObject({ messaging_type: "RESPONSE" });
    expect(untagged).not.toHaveProperty("tag");
    expect(whatsapp).not.toHaveProperty("tag");
    expect(whatsapp).not.toHaveProperty("messaging_type");
  });

  it("puts the token in the Authorization header only, never in the URL", async () => {
    await api.send(wa, text);
    await api.send(fb, quick);
    for (const call of fake.calls) {
      expect(call.authorization).toBe(`Bearer ${TOKEN}`);
      expect(call.path).not.toContain(TOKEN);
      expect(call.path).not.toContain("access_token");
      expect(JSON.stringify(call.body)).not.toContain(TOKEN);
    }
  });
});

describe("MetaApiError", () => {
  it("keeps the status, code and subcode, and says the window is closed (WhatsApp 131047)", async () => {
    fake.closedWindow.add(wa.waId);
    const error = await failure(api.send(wa, text));
    expect(error).toBeInstanceOf(ChannelApiError);
    expect(error).toMatchObject({
      name: "MetaApiError",
      platform: "meta",
      method: "messages",
      apiStatus: 400,
      code: 131047,
      subcode: undefined,
      windowClosed: true,
    });
    expect(error.retryable).toBeUndefined();
    expect(error.message).toBe("Meta answered 400 (code 131047)");
    expect(isTransient(error)).toBe(false);
  });

  it("says the window is closed for Messenger's 10 / 2018278, not for 10 alone", async () => {
    fake.closedWindow.add(fb.psid);
    const closed = await failure(api.send(fb, quick));
    fake.clear();
    fake.failNext = { status: 400, times: 1, code: 10 };
    const otherTen = await failure(api.send(fb, quick));
    expect(closed).toMatchObject({ code: 10, subcode: 2018278, windowClosed: true });
    expect(otherTen).toMatchObject({ code: 10, subcode: undefined, windowClosed: false });
  });

  it("says the window is closed when the person is unavailable (551)", async () => {
    fake.failNext = { status: 400, times: 1, code: 551 };
    expect(await failure(api.send(fb, quick))).toMatchObject({ code: 551, windowClosed: true });
  });

  it.each([1, 2, 4, 17, 341, 613, 130429, 131000, 131056, 133004])(
    "calls code %i retryable even on a 400",
    async (code) => {
      fake.failNext = { status: 400, times: 1, code };
      const error = await failure(api.send(wa, text));
      expect(error).toMatchObject({ apiStatus: 400, code, retryable: true, windowClosed: false });
      expect(isTransient(error)).toBe(true);
    },
  );

  it("leaves other codes to the HTTP status: a 400 is permanent, a 500 transient", async () => {
    fake.failNext = { status: 400, times: 1, code: 100 };
    const invalid = await failure(api.send(wa, text));
    fake.failNext = { status: 500, times: 1, code: 100 };
    const server = await failure(api.send(wa, text));
    expect(invalid.retryable).toBeUndefined();
    expect([isTransient(invalid), isTransient(server)]).toEqual([false, true]);
  });

  it("never puts the token in an error", async () => {
    fake.failNext = { status: 400, times: 1, code: 190 };
    const error = await failure(api.send(fb, quick));
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it("reads an error without a Meta body as its status alone", async () => {
    // Prepare
    const bare = new JsonApiServer(() => ({ status: 503 }));
    const root = await bare.start();

    // Act
    const error = await failure(new GraphApi(root, TOKEN).send(wa, text)).finally(() => bare.stop());

    // Assess
    expect(error).toMatchObject({ apiStatus: 503, code: undefined, subcode: undefined });
    expect(error.message).toBe("Meta answered 503");
    expect(isTransient(error)).toBe(true);
  });

  it("reports a network failure as status 0, with the cause, worth a retry", async () => {
    // Prepare: a port that was just listening and no longer is.
    const gone = new JsonApiServer(() => ({ status: 200 }));
    const root = await gone.start();
    await gone.stop();

    // Act
    const error = await failure(new GraphApi(root, TOKEN).send(fb, quick));

    // Assess
    expect(error).toMatchObject({ apiStatus: 0, method: "messages", code: undefined });
    expect(error.cause).toBeInstanceOf(Error);
    expect(isTransient(error)).toBe(true);
  });
});
