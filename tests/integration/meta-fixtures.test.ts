import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runtime } from "../../src/app/runtime.ts";
import { metaButtonSigner, metaUserKey } from "../../src/channels/meta/meta.adapter.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { FakeMeta } from "../support/fake-meta.ts";
import { metaSignature } from "../support/meta-notifications.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "meta");
const TABLE = "guardline-meta-fixtures";
const APP_SECRET = "meta-fixtures-app-secret";
const PHONE_NUMBER_ID = "106540352242922";
const PAGE_ID = "104250825763518";
const fake = new FakeMeta();
const signer = metaButtonSigner(APP_SECRET);
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;

const saved = Object.fromEntries(
  ["META_APP_SECRET", "META_VERIFY_TOKEN", "META_ACCESS_TOKEN", "META_API_ROOT"].map((n) => [
    n,
    process.env[n],
  ]),
);

beforeAll(async () => {
  configureLog({ level: "error" });
  Object.assign(process.env, {
    META_APP_SECRET: APP_SECRET,
    META_VERIFY_TOKEN: "fixtures-verify-token",
    META_ACCESS_TOKEN: "EAAG-fixtures-access-token",
    META_API_ROOT: await fake.start(),
  });
  server = await startLocalServer({ tableName: TABLE });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await fake.stop();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

beforeEach(() => fake.clear());

/** The fixtures' users, each given a fresh number (same country code) or page-scoped id per test. */
const USERS: [string, number][] = [
  ["8613812345678", 5],
  ["85291234567", 3],
  ["886912345678", 4],
  ["12025550143", 7],
  ["7154236987412365", 0],
];
let serial = 1000;

/** A fixture with fresh users and its `SIGNED:<button id>` placeholders signed for that user. */
function load(name: string): { raw: string; waId?: string; psid?: string } {
  let raw = readFileSync(join(FIXTURES, name), "utf8");
  let waId: string | undefined;
  let psid: string | undefined;
  for (const [user, keep] of USERS) {
    if (!raw.includes(`"${user}"`)) continue;
    const fresh = `${user.slice(0, keep)}${String(serial++).padStart(user.length - keep, "0")}`;
    raw = raw.replaceAll(`"${user}"`, `"${fresh}"`);
    if (keep === 0) psid = fresh;
    else waId = fresh;
  }
  const scope = psid
    ? metaUserKey({ platform: "messenger", pageId: PAGE_ID, psid })
    : metaUserKey({ platform: "whatsapp", phoneNumberId: PHONE_NUMBER_ID, waId: waId ?? "" });
  raw = raw.replace(/"SIGNED:([^"]+)"/g, (_all, id: string) => JSON.stringify(signer.sign(scope, id)));
  return { raw, ...(waId ? { waId } : {}), ...(psid ? { psid } : {}) };
}

async function post(raw: string, secret = APP_SECRET) {
  const headers = { "content-type": "application/json", "x-hub-signature-256": metaSignature(raw, secret) };
  const response = await fetch(new URL("webhooks/meta", server.url), { method: "POST", headers, body: raw });
  return { status: response.status, body: await response.text() };
}

async function storedItems(): Promise<number> {
  return (await client.send(new ScanCommand({ TableName: TABLE, Select: "COUNT" }))).Count ?? 0;
}

const say = (key: "expiredButton" | "unsupportedMessage", locale: "zh-Hans" | "zh-Hant" | "en") =>
  runtime().brain.knowledge.messages[key][locale];

/** The signed button data in a Send API call: WhatsApp reply buttons or list rows, Messenger quick replies. */
// biome-ignore lint/suspicious/noExplicitAny: Send API JSON
const buttonData = (body: Record<string, any>): string[] => [
  ...(body.interactive?.action?.buttons ?? []).map((b: { reply: { id: string } }) => b.reply.id),
  ...(body.interactive?.action?.sections ?? []).flatMap((section: { rows: { id: string }[] }) =>
    section.rows.map((row) => row.id),
  ),
  ...(body.message?.quick_replies ?? []).map((q: { payload: string }) => q.payload),
];

/** The text a Send API call carries (WhatsApp text or interactive body, Messenger text). */
// biome-ignore lint/suspicious/noExplicitAny: Send API JSON
const sentText = (body: Record<string, any>): string =>
  body.text?.body ?? body.interactive?.body?.text ?? body.message?.text ?? "";

describe("Meta fixtures: what users send", () => {
  it("has a valid and an invalid fixture for each of WhatsApp and Messenger", () => {
    const names = readdirSync(FIXTURES);
    expect(names.filter((n) => n.startsWith("whatsapp-")).length).toBeGreaterThanOrEqual(8);
    expect(names.filter((n) => n.startsWith("messenger-")).length).toBeGreaterThanOrEqual(5);
    expect(names.filter((n) => n.startsWith("invalid-")).length).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["whatsapp-text-zh-hans.json", undefined],
    ["whatsapp-text-zh-hant.json", undefined],
    ["whatsapp-text-en.json", undefined],
    ["whatsapp-interactive-button-reply.json", "fees"],
    ["whatsapp-interactive-list-reply.json", "limits"],
    ["whatsapp-template-button.json", "t:"],
  ])("%s is answered through the bot path on the number the user wrote to", async (name, topic) => {
    // Prepare
    const before = await storedItems();
    const { raw, waId } = load(name);
    const scope = metaUserKey({ platform: "whatsapp", phoneNumberId: PHONE_NUMBER_ID, waId: waId ?? "" });

    // Act
    const response = await post(raw);

    // Assess: sent from the number written to, with buttons signed for this user, and stored
    expect(response.status).toBe(200);
    expect(fake.calls.length).toBeGreaterThanOrEqual(1);
    for (const call of fake.calls) {
      expect(call.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
      expect(call.body).toMatchObject({ messaging_product: "whatsapp", to: waId });
      expect(call.authorization).toBe("Bearer EAAG-fixtures-access-token");
    }
    const texts = fake.calls.map((c) => sentText(c.body)).join("\n");
    expect(texts.length).toBeGreaterThan(20);
    expect(texts).not.toContain(say("expiredButton", "zh-Hans"));
    const buttons = fake.calls.flatMap((c) => buttonData(c.body)).map((data) => signer.verify(scope, data));
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((id) => id !== undefined)).toBe(true);
    if (topic) expect(buttons.some((id) => id?.includes(topic))).toBe(true);
    expect(await storedItems()).toBeGreaterThanOrEqual(before + 3);
  });

  it.each([["messenger-text.json"], ["messenger-quick-reply.json"], ["messenger-postback-get-started.json"]])(
    "%s is answered through the bot path from the page, with quick replies signed for the user",
    async (name) => {
      const { raw, psid } = load(name);
      const scope = metaUserKey({ platform: "messenger", pageId: PAGE_ID, psid: psid ?? "" });
      const response = await post(raw);
      expect(response.status).toBe(200);
      expect(fake.calls.length).toBeGreaterThanOrEqual(1);
      for (const call of fake.calls) {
        expect(call.path).toBe(`/v21.0/${PAGE_ID}/messages`);
        expect(call.body).toMatchObject({ recipient: { id: psid }, messaging_type: "RESPONSE" });
      }
      expect(fake.calls.map((c) => sentText(c.body)).join("\n")).not.toContain(
        say("expiredButton", "zh-Hans"),
      );
      const buttons = fake.calls.flatMap((c) => buttonData(c.body)).map((data) => signer.verify(scope, data));
      expect(buttons.length).toBeGreaterThan(0);
      expect(buttons.every((id) => id !== undefined)).toBe(true);
    },
  );

  it.each([
    ["whatsapp-button-reply-forged.json", "expiredButton", "zh-Hans"],
    ["messenger-quick-reply-unsigned.json", "expiredButton", "zh-Hans"],
    ["whatsapp-image.json", "unsupportedMessage", "zh-Hant"],
    ["invalid-text-body-not-string.json", "unsupportedMessage", "zh-Hans"],
  ] as const)("%s gets the %s notice in %s and goes no further", async (name, notice, locale) => {
    const before = await storedItems();
    const { raw } = load(name);
    const response = await post(raw);
    expect(response.status).toBe(200);
    expect(fake.calls.map((c) => sentText(c.body))).toEqual([say(notice, locale)]);
    expect(await storedItems()).toBe(before);
  });

  it.each([
    ["whatsapp-status.json"],
    ["whatsapp-reaction.json"],
    ["whatsapp-system.json"],
    ["messenger-echo.json"],
    ["messenger-delivery.json"],
    ["messenger-read.json"],
    ["invalid-unknown-object.json"],
    ["invalid-metadata-missing.json"],
    ["invalid-message-missing-from.json"],
    ["invalid-from-not-string.json"],
    ["invalid-sender-missing.json"],
  ])("%s is acknowledged with 200, answered with nothing and stores nothing", async (name) => {
    const before = await storedItems();
    const response = await post(load(name).raw);
    expect(response).toEqual({ status: 200, body: "" });
    expect(fake.calls).toEqual([]);
    expect(await storedItems()).toBe(before);
  });
});

describe("Meta fixtures: bad input", () => {
  it.each([
    ["invalid-malformed.txt", "body"],
    ["invalid-entry-not-array.json", "entry"],
    ["invalid-changes-not-array.json", "entry.0.changes"],
    ["invalid-messaging-not-array.json", "entry.0.messaging"],
    ["invalid-entry-id-number.json", "entry.0.id"],
  ])("%s is refused with 400 naming the field, sends and stores nothing", async (name, field) => {
    const before = await storedItems();
    const response = await post(load(name).raw);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.field).toBe(field);
    expect(fake.calls).toEqual([]);
    expect(await storedItems()).toBe(before);
  });

  it("refuses every valid fixture signed with another secret with 401, before reading it", async () => {
    for (const name of readdirSync(FIXTURES).filter((n) => !n.startsWith("invalid-"))) {
      const response = await post(load(name).raw, "not-the-app-secret");
      expect(response.status, name).toBe(401);
    }
    expect(fake.calls).toEqual([]);
  });

  it("refuses an oversized notification with 400 and reads none of it", async () => {
    const { raw } = load("whatsapp-text-en.json");
    const huge = raw.replace('"type": "text"', `"type": "text", "padding": "${"x".repeat(1024 * 1024)}"`);
    const response = await post(huge);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.field).toBe("body");
    expect(fake.calls).toEqual([]);
  });
});
