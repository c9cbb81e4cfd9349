import { execFile } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { discordButtonSigner } from "../../src/channels/discord/discord.adapter.ts";
import type { DiscordFollowUpEvent } from "../../src/channels/discord/discord.channel.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { conversationIdFor } from "../../src/store/records.ts";
import { FakeDiscord } from "../support/fake-discord.ts";
import { JsonApiServer } from "../support/json-api-server.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures", "discord");
const TABLE = "guardline-discord";
const keys = generateKeyPairSync("ed25519");
const PUBLIC_HEX = keys.publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
const stranger = generateKeyPairSync("ed25519");
const signer = discordButtonSigner("fake-bot-token");
const fake = new FakeDiscord();
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;
let agentToken: string;

beforeAll(async () => {
  configureLog({ level: "error" });
  Object.assign(process.env, {
    DISCORD_APPLICATION_ID: "1234567890123456789",
    DISCORD_PUBLIC_KEY: PUBLIC_HEX,
    DISCORD_BOT_TOKEN: "fake-bot-token",
    DISCORD_API_ROOT: await fake.start(),
  });
  server = await startLocalServer({ tableName: TABLE });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
  agentToken = (await createAgent(agentRuntime(runtime()).agents, { name: "Dana", role: "agent" })).token;
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await fake.stop();
  for (const name of [
    "DISCORD_APPLICATION_ID",
    "DISCORD_PUBLIC_KEY",
    "DISCORD_BOT_TOKEN",
    "DISCORD_API_ROOT",
    "DISCORD_DEFER_AFTER_MS",
  ])
    delete process.env[name];
});

beforeEach(() => fake.clear());

// biome-ignore lint/suspicious/noExplicitAny: interaction JSON the tests edit freely
type Interaction = Record<string, any>;
let nextId = 1_300_000_000_000_000_000n;

function fixture(name: string, userId?: string): Interaction {
  const interaction = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Interaction;
  interaction.id = String(nextId++);
  const who = userId ?? String(nextId++);
  if (interaction.member?.user) interaction.member.user.id = who;
  if (interaction.user && interaction.type !== 1) interaction.user.id = who;
  return interaction;
}

function userOf(interaction: Interaction): string {
  return interaction.member?.user.id ?? interaction.user.id;
}

async function post(
  body: unknown,
  options: { key?: typeof keys.privateKey; timestamp?: string; tamper?: boolean } = {},
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + raw), options.key ?? keys.privateKey).toString("hex");
  const response = await fetch(new URL("webhooks/discord", server.url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    },
    body: options.tamper ? raw.replace("忘记", "记忆") : raw,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Interaction) : undefined };
}

async function stored(userId: string) {
  const id = conversationIdFor(`discord:${userId}`, 1);
  const result = await client.send(new ScanCommand({ TableName: TABLE }));
  return (result.Items ?? []).filter((i) => i.conversationId === id);
}

const customIds = (body: Interaction | undefined): string[] =>
  (body?.data?.components ?? []).flatMap((row: Interaction) =>
    row.components.map((c: Interaction) => c.custom_id),
  );

describe("Discord interactions", () => {
  it("answers PING with PONG", async () => {
    expect((await post(fixture("ping"))).body).toEqual({ type: 1 });
  });

  it.each([
    ["command-ask-zh-hans", "密码", true],
    ["command-ask-zh-hant", "儲值", true],
    ["command-ask-en-dm", "withdraw", false],
  ])("answers %s directly, ephemeral in servers, with signed buttons", async (name, words, ephemeral) => {
    const interaction = fixture(name);
    const { status, body } = await post(interaction);
    expect(status).toBe(200);
    expect(body?.type).toBe(4);
    expect(body?.data.content.toLowerCase()).toContain(words);
    expect(body?.data.flags).toBe(ephemeral ? 64 : undefined);
    const ids = customIds(body).map((c) => signer.verify(userOf(interaction), c));
    expect(ids).toContain("write");
    expect(ids.some((id) => id?.startsWith("fb:y:"))).toBe(true);
    expect((await stored(userOf(interaction))).filter((i) => i.from === "user")).toHaveLength(1);
    expect(fake.calls).toEqual([]);
  });

  it("follows a signed button, opens the modal, and takes the modal's text", async () => {
    const ask = fixture("command-ask-zh-hans");
    const user = userOf(ask);
    const first = await post(ask);
    const feedback = customIds(first.body).find((c) => signer.verify(user, c)?.startsWith("fb:y:"));
    const pressed = fixture("button", user);
    pressed.data.custom_id = feedback;
    expect((await post(pressed)).body?.data.content).toMatch(/太好了|谢谢/);

    const write = fixture("button", user);
    write.data.custom_id = signer.sign(user, "write");
    const modal = await post(write);
    expect(modal.body).toMatchObject({
      type: 9,
      data: { components: [{ components: [{ custom_id: "text", style: 2 }] }] },
    });

    const submit = fixture("modal-submit", user);
    submit.data.custom_id = modal.body?.data.custom_id;
    expect((await post(submit)).body?.data.content).toMatch(/到账|转账/);
  });

  it("refuses a button signed for another user, and stores nothing", async () => {
    const pressed = fixture("button");
    pressed.data.custom_id = signer.sign("1", "t:password_reset");
    expect((await post(pressed)).body?.data.content).toContain("按钮已失效");
    expect(await stored(userOf(pressed))).toEqual([]);
  });

  it.each([
    ["command-contact", /官方|Official/],
    ["command-verify", /不在官方联系方式名单里/],
    ["command-human", /真人|人工/],
  ])("handles %s", async (name, words) => {
    expect((await post(fixture(name))).body?.data.content).toMatch(words);
  });

  it("forgets after confirmation", async () => {
    const ask = fixture("command-ask-zh-hans");
    const user = userOf(ask);
    await post(ask);
    const confirm = await post(fixture("command-forget", user));
    const yes = fixture("button", user);
    yes.data.custom_id = customIds(confirm.body)[0];
    await post(yes);
    expect(await stored(user)).toEqual([]);
  });

  it("answers autocomplete with no choices", async () => {
    expect((await post(fixture("autocomplete"))).body).toEqual({ type: 8, data: { choices: [] } });
  });

  it("defers when the answer would be late, and finishes with a follow-up edit", async () => {
    process.env.DISCORD_DEFER_AFTER_MS = "0";
    const { resetRuntime } = await import("../../src/app/runtime.ts");
    resetRuntime();
    try {
      const interaction = fixture("command-ask-zh-hant");
      const { body } = await post(interaction);
      expect(body).toEqual({ type: 5, data: { flags: 64 } });
      await expect
        .poll(() => fake.calls.find((c) => c.method === "PATCH"), { timeout: 5000 })
        .toMatchObject({ path: `/webhooks/1234567890123456789/${interaction.token}/messages/%40original` });
      const patch = fake.calls.find((c) => c.method === "PATCH")?.body as Interaction;
      expect(patch.content).toContain("儲值");
      expect((await stored(userOf(interaction))).filter((i) => i.from === "user")).toHaveLength(1);
    } finally {
      delete process.env.DISCORD_DEFER_AFTER_MS;
      resetRuntime();
    }
  });

  it("in Lambda, hands a deferred interaction to an asynchronous invocation of itself, which finishes it", async () => {
    // Prepare: a fake Lambda API that records invocations, and the environment Lambda provides
    const invocations: { path: string; type: string; body: Interaction }[] = [];
    const lambda = new JsonApiServer(({ url, headers, body }) => {
      invocations.push({ path: url, type: String(headers["x-amz-invocation-type"]), body });
      return { status: 202 };
    });
    const lambdaUrl = await lambda.start();
    const saved = { ...process.env };
    Object.assign(process.env, {
      DISCORD_DEFER_AFTER_MS: "0",
      AWS_LAMBDA_FUNCTION_NAME: "guardline-test-discordInteractions",
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      AWS_REGION: "ap-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const { resetRuntime } = await import("../../src/app/runtime.ts");
    resetRuntime();
    try {
      const interaction = fixture("command-ask-zh-hant");

      // Act: the webhook defers; Lambda then runs the same handler with the recorded payload
      const { body } = await post(interaction);
      await expect.poll(() => invocations.length, { timeout: 5000 }).toBe(1);
      const patchedBeforeFollowUp = fake.calls.some((c) => c.method === "PATCH");
      const { handler } = await import("../../handlers/discord-interactions.ts");
      const result = await handler(invocations[0]?.body as DiscordFollowUpEvent, {} as Context);
      // Lambda retries an asynchronous invocation it thinks failed: the retry replays the stored turn
      const retried = await handler(invocations[0]?.body as DiscordFollowUpEvent, {} as Context);

      // Assess
      expect(body).toEqual({ type: 5, data: { flags: 64 } });
      expect(invocations[0]).toMatchObject({
        path: "/2015-03-31/functions/guardline-test-discordInteractions/invocations",
        type: "Event",
        body: { guardlineDiscordFollowUp: { id: interaction.id, token: interaction.token } },
      });
      expect(patchedBeforeFollowUp).toBe(false);
      expect(result).toEqual({ statusCode: 204 });
      expect(retried).toEqual({ statusCode: 204 });
      const patches = fake.calls.filter((c) => c.method === "PATCH");
      expect(patches).toHaveLength(2);
      expect(patches[1]?.body).toEqual(patches[0]?.body);
      expect(fake.calls.filter((c) => c.method === "POST")).toEqual([]);
      const patch = patches[0];
      expect(patch?.path).toBe(`/webhooks/1234567890123456789/${interaction.token}/messages/%40original`);
      expect((patch?.body as Interaction | undefined)?.content).toContain("儲值");
      expect((await stored(userOf(interaction))).filter((i) => i.from === "user")).toHaveLength(1);
    } finally {
      process.env = saved;
      resetRuntime();
      await lambda.stop();
    }
  });

  it("delivers an agent's reply by DM, and says so clearly when the user's DMs are closed", async () => {
    // Prepare: two Discord users ask for a person; one has DMs closed
    const open = fixture("command-human");
    const closed = fixture("command-human");
    await post(open);
    await post(closed);
    fake.closedDms.add(userOf(closed));
    const agent = { authorization: `Bearer ${agentToken}`, "content-type": "application/json" };
    const act = async (user: string, path: string, body?: unknown) =>
      fetch(new URL(`agent/conversations/${conversationIdFor(`discord:${user}`, 1)}/${path}`, server.url), {
        method: "POST",
        headers: agent,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });

    // Act
    await act(userOf(open), "claim");
    const delivered = await act(userOf(open), "messages", { text: "Hi, Dana here" });
    await act(userOf(closed), "claim");
    const refused = await act(userOf(closed), "messages", { text: "Hi, Dana here" });

    // Assess
    expect(delivered.status).toBe(200);
    expect(fake.calls.filter((c) => c.method === "POST").map((c) => c.path)).toContain(
      `/channels/${userOf(open)}0/messages`,
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Interaction).error.message).toContain("direct messages");
  });

  it("registers the slash commands with Chinese names through the CLI", async () => {
    await promisify(execFile)(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["src/cli/main.ts", "discord:register", "--guild", "1187432905627181066"],
      {
        cwd: ROOT,
        env: { ...process.env },
      },
    );
    const put = fake.calls.find((c) => c.method === "PUT");
    expect(put?.path).toBe("/applications/1234567890123456789/guilds/1187432905627181066/commands");
    const names = ((put?.body ?? []) as Interaction[]).map((c) => [
      c.name,
      c.name_localizations["zh-CN"],
      c.name_localizations["zh-TW"],
    ]);
    expect(names).toContainEqual(["ask", "提问", "提問"]);
    expect(names.map((n) => n[0])).toEqual(["ask", "contact", "verify", "human", "forget"]);
  });
});

describe("Discord bad input", () => {
  const valid = () => fixture("command-ask-zh-hans");

  it.each([
    ["a signature by another key", { key: stranger.privateKey }],
    ["a stale timestamp", { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }],
    ["a malformed timestamp", { timestamp: "yesterday" }],
    ["a body edited after signing", { tamper: true }],
  ])("refuses %s with 401 and stores nothing", async (_case, options) => {
    const interaction = valid();
    expect((await post(interaction, options)).status).toBe(401);
    expect(await stored(userOf(interaction))).toEqual([]);
  });

  it("refuses a request without signature headers with 401", async () => {
    const response = await fetch(new URL("webhooks/discord", server.url), { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
  });

  it.each([
    ["malformed JSON", "{not json"],
    ...["invalid-no-type", "invalid-type-string", "invalid-unknown-type", "invalid-array"].map(
      (name) => [name, readFileSync(join(FIXTURES, `${name}.json`), "utf8")] as [string, string],
    ),
  ])("refuses %s with 400 and stores nothing", async (_case, body) => {
    const before = (await client.send(new ScanCommand({ TableName: TABLE }))).Count;
    expect((await post(body)).status).toBe(400);
    expect((await client.send(new ScanCommand({ TableName: TABLE }))).Count).toBe(before);
  });
});
