import { generateKeyPairSync, sign } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DISCORD_CONTENT_LIMIT,
  type DiscordEvent,
  discordButtonSigner,
  discordEvent,
  discordMessages,
  discordUserKey,
  signatureValid,
  WRITE_REPLY,
} from "../../../../src/channels/discord/discord.adapter.ts";
import {
  type DiscordInteraction,
  discordInteractionSchema,
} from "../../../../src/channels/discord/discord.schemas.ts";
import { FORGET } from "../../../../src/channels/forget.ts";
import type { Inbound } from "../../../../src/core/policy.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures", "discord");
const keys = generateKeyPairSync("ed25519");
const stranger = generateKeyPairSync("ed25519");
const publicHex = (pair: typeof keys) =>
  pair.publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
const PUBLIC_HEX = publicHex(keys);
const signer = discordButtonSigner("fake-bot-token");
/** The user in the server fixtures (member.user) and in the DM fixture (user). */
const XIAOMING = "712394058230546452";
const AHUI = "934025817764102184";
const JORDAN = "1089245736291819601";

// biome-ignore lint/suspicious/noExplicitAny: interaction JSON the tests edit freely
type Json = Record<string, any>;

function raw(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Json;
}

/** A fixture through the schema the channel applies before `discordEvent` ever sees it. */
function interaction(source: string | Json, edit: (json: Json) => void = () => {}): DiscordInteraction {
  const json = typeof source === "string" ? raw(source) : source;
  edit(json);
  return discordInteractionSchema.parse(json);
}

function press(customId: string | undefined, userId = XIAOMING): DiscordEvent {
  return discordEvent(
    interaction("button", (json) => {
      json.member.user.id = userId;
      if (customId === undefined) delete json.data.custom_id;
      else json.data.custom_id = customId;
    }),
    signer,
  );
}

const inbound = (userId: string, id: string, content: Inbound, ephemeral: boolean): DiscordEvent => ({
  kind: "inbound",
  userId,
  ephemeral,
  message: { channel: "discord", userKey: discordUserKey(userId), eventId: `dc:${id}`, content },
});

describe("signatureValid", () => {
  const NOW = 1_763_780_400_000;
  const timestamp = String(NOW / 1000);
  const body = Buffer.from(JSON.stringify(raw("ping")));
  const signed = (ts: string, bytes: Buffer, key = keys.privateKey) =>
    sign(null, Buffer.concat([Buffer.from(ts), bytes]), key).toString("hex");

  it("accepts Ed25519 over timestamp + the exact body with the application's key, in either hex case", () => {
    const signature = signed(timestamp, body);
    expect(signatureValid(PUBLIC_HEX, signature, timestamp, body, NOW)).toBe(true);
    expect(signatureValid(PUBLIC_HEX.toUpperCase(), signature.toUpperCase(), timestamp, body, NOW)).toBe(
      true,
    );
  });

  it("refuses another key's signature, and a signature checked against another key", () => {
    expect(
      signatureValid(PUBLIC_HEX, signed(timestamp, body, stranger.privateKey), timestamp, body, NOW),
    ).toBe(false);
    expect(signatureValid(publicHex(stranger), signed(timestamp, body), timestamp, body, NOW)).toBe(false);
  });

  it("refuses a tampered body, and a signature moved to another timestamp", () => {
    const signature = signed(timestamp, body);
    const tampered = Buffer.from(body.toString("utf8").replace('"type":1', '"type":2'));
    expect(signatureValid(PUBLIC_HEX, signature, timestamp, tampered, NOW)).toBe(false);
    expect(
      signatureValid(PUBLIC_HEX, signature, timestamp, Buffer.concat([body, Buffer.from(" ")]), NOW),
    ).toBe(false);
    expect(signatureValid(PUBLIC_HEX, signature, String(NOW / 1000 - 1), body, NOW)).toBe(false);
  });

  it("refuses a signature that is not 128 hex digits", () => {
    const signature = signed(timestamp, body);
    for (const bad of [
      `${signature.slice(0, -2)}zz`,
      signature.slice(0, -2),
      `${signature}00`,
      ` ${signature.slice(1)}`,
    ])
      expect(signatureValid(PUBLIC_HEX, bad, timestamp, body, NOW)).toBe(false);
  });

  it("takes requests within 300 seconds either way, and refuses older or later ones even when signed", () => {
    const at = (offsetS: number) => {
      const ts = String(NOW / 1000 + offsetS);
      return signatureValid(PUBLIC_HEX, signed(ts, body), ts, body, NOW);
    };
    expect([at(-300), at(-299), at(299), at(300)]).toEqual([true, true, true, true]);
    expect([at(-301), at(-3600), at(301)]).toEqual([false, false, false]);
  });

  it("refuses a timestamp that is not a plain number of seconds", () => {
    for (const ts of ["", "-1763780400", "1763780400.0", "0x6920", `${timestamp}000`, "1e9"])
      expect(signatureValid(PUBLIC_HEX, signed(ts, body), ts, body, NOW)).toBe(false);
  });

  it("refuses a request without its signature or timestamp header", () => {
    const signature = signed(timestamp, body);
    expect(signatureValid(PUBLIC_HEX, undefined, timestamp, body, NOW)).toBe(false);
    expect(signatureValid(PUBLIC_HEX, signature, undefined, body, NOW)).toBe(false);
    expect(signatureValid(PUBLIC_HEX, "", timestamp, body, NOW)).toBe(false);
  });

  it("uses the clock when no time is given", () => {
    const ts = String(Math.floor(Date.now() / 1000));
    expect(signatureValid(PUBLIC_HEX, signed(ts, body), ts, body)).toBe(true);
    expect(signatureValid(PUBLIC_HEX, signed(timestamp, body), timestamp, body)).toBe(false);
  });
});

describe("discordEvent for the fixtures", () => {
  it("has a case below for every fixture", () => {
    const names = readdirSync(FIXTURES).map((file) => file.replace(/\.json$/, ""));
    expect(names.sort()).toEqual([...Object.keys(EXPECTED), ...INVALID, "button", "modal-submit"].sort());
  });

  const EXPECTED: Record<string, DiscordEvent> = {
    ping: { kind: "ping" },
    autocomplete: { kind: "autocomplete" },
    "command-ask-zh-hans": inbound(
      XIAOMING,
      "1441625424550559745",
      { type: "text", text: "忘记登录密码了怎么办", localeHint: "zh-Hans" },
      true,
    ),
    "command-ask-zh-hant": inbound(
      AHUI,
      "1441627288302125058",
      { type: "text", text: "我儲值了但是餘額沒有增加", localeHint: "zh-Hant" },
      true,
    ),
    "command-ask-en-dm": inbound(
      JORDAN,
      "1441629479297482755",
      { type: "text", text: "how do I withdraw money to my bank card", localeHint: "en" },
      false,
    ),
    "command-verify": inbound(
      XIAOMING,
      "1441634404853219335",
      { type: "text", text: "400-820-1234 这个是你们的客服吗", localeHint: "zh-Hans" },
      true,
    ),
    "command-contact": inbound(
      XIAOMING,
      "1441632104332001284",
      { type: "button", buttonId: "t:contact_support", localeHint: "zh-Hans" },
      true,
    ),
    "command-human": inbound(
      AHUI,
      "1441632700816556037",
      { type: "button", buttonId: "human", localeHint: "zh-Hant" },
      true,
    ),
    "command-forget": { kind: "forget", userId: JORDAN, step: "ask", locale: "en" },
  };
  const INVALID = ["invalid-array", "invalid-no-type", "invalid-type-string", "invalid-unknown-type"];

  it.each(Object.entries(EXPECTED))("reads %s", (name, expected) => {
    expect(discordEvent(interaction(name), signer)).toStrictEqual(expected);
  });

  it.each(INVALID)("refuses %s at the schema, before any event is decided", (name) => {
    expect(discordInteractionSchema.safeParse(raw(name)).success).toBe(false);
  });

  it("reads a submitted modal's text as the user's message", () => {
    const submitted = interaction("modal-submit", (json) => {
      json.data.custom_id = signer.sign(XIAOMING, "reply");
    });
    expect(discordEvent(submitted, signer)).toStrictEqual(
      inbound(
        XIAOMING,
        "1441626236618145802",
        { type: "text", text: "我的转账一直显示处理中", localeHint: "zh-Hans" },
        true,
      ),
    );
  });

  it("calls a submitted modal without text expired", () => {
    const blank = interaction("modal-submit", (json) => {
      json.data.components[0].components[0].value = "   ";
    });
    const otherField = interaction("modal-submit", (json) => {
      json.data.components[0].components[0].custom_id = "note";
    });
    const expired = { kind: "expired", userId: XIAOMING, locale: "zh-Hans" };
    expect(discordEvent(blank, signer)).toStrictEqual(expired);
    expect(discordEvent(otherField, signer)).toStrictEqual(expired);
  });
});

describe("discordEvent for commands", () => {
  const ask = (edit: (json: Json) => void) => discordEvent(interaction("command-ask-zh-hans", edit), signer);
  const contentOf = (event: DiscordEvent) => (event.kind === "inbound" ? event.message.content : event.kind);

  it("opens the menu for /ask without a question, or with only spaces", () => {
    const menu = { type: "button", buttonId: "menu", localeHint: "zh-Hans" };
    expect(contentOf(ask((json) => delete json.data.options))).toStrictEqual(menu);
    expect(contentOf(ask((json) => (json.data.options[0].value = "  ")))).toStrictEqual(menu);
    expect(contentOf(ask((json) => (json.data.options[0].value = 42)))).toStrictEqual(menu);
  });

  it("opens the verify topic for /verify without text, and the menu for a command it does not know", () => {
    const verify = interaction("command-verify", (json) => delete json.data.options);
    const unknown = interaction("command-contact", (json) => (json.data.name = "weather"));
    expect(contentOf(discordEvent(verify, signer))).toStrictEqual({
      type: "button",
      buttonId: "t:verify_contact",
      localeHint: "zh-Hans",
    });
    expect(contentOf(discordEvent(unknown, signer))).toStrictEqual({
      type: "button",
      buttonId: "menu",
      localeHint: "zh-Hans",
    });
  });

  it("is ephemeral only in a server, and carries no locale hint for a language it does not speak", () => {
    const inDm = discordEvent(
      interaction("command-ask-zh-hans", (json) => delete json.guild_id),
      signer,
    );
    const french = discordEvent(
      interaction("command-ask-en-dm", (json) => (json.locale = "fr")),
      signer,
    );
    expect(inDm).toMatchObject({ kind: "inbound", ephemeral: false });
    expect(french).toMatchObject({ kind: "inbound", ephemeral: false });
    expect(contentOf(french)).toStrictEqual({
      type: "text",
      text: "how do I withdraw money to my bank card",
    });
  });
});

describe("discordEvent for buttons", () => {
  it("reads a button it signed for this user as that button", () => {
    expect(press(signer.sign(XIAOMING, "t:password_reset"))).toStrictEqual(
      inbound(
        XIAOMING,
        "1441625618490982408",
        { type: "button", buttonId: "t:password_reset", localeHint: "zh-Hans" },
        true,
      ),
    );
    expect(press(signer.sign(XIAOMING, "fb:n:fees"))).toMatchObject({
      message: { content: { buttonId: "fb:n:fees" } },
    });
  });

  it("calls forged, foreign, unsigned and stale buttons expired", () => {
    const expired = (userId: string) => ({ kind: "expired", userId, locale: "zh-Hans" });
    // The real payload's other buttons carry MACs this signer never made.
    expect(press("t:account_security~Q2h7fK0pLm3xVb9s")).toStrictEqual(expired(XIAOMING));
    expect(press("t:password_reset")).toStrictEqual(expired(XIAOMING));
    expect(press(signer.sign(JORDAN, "t:password_reset"))).toStrictEqual(expired(XIAOMING));
    expect(press(discordButtonSigner("rotated-token").sign(XIAOMING, "human"))).toStrictEqual(
      expired(XIAOMING),
    );
    expect(press(undefined)).toStrictEqual(expired(XIAOMING));
    // Signed, but a topic this build no longer has.
    expect(press(signer.sign(XIAOMING, "t:crypto_staking"))).toStrictEqual(expired(XIAOMING));
  });

  it("opens the free-text form for the write-reply button, only when signed for the presser", () => {
    expect(press(signer.sign(XIAOMING, WRITE_REPLY))).toStrictEqual({
      kind: "modal",
      userId: XIAOMING,
      locale: "zh-Hans",
    });
    expect(press(signer.sign(JORDAN, WRITE_REPLY), XIAOMING)).toMatchObject({ kind: "expired" });
  });

  it("reads the forget buttons as the confirmation and the cancellation", () => {
    expect(press(signer.sign(XIAOMING, FORGET.confirm))).toStrictEqual({
      kind: "forget",
      userId: XIAOMING,
      step: "confirm",
      locale: "zh-Hans",
    });
    expect(press(signer.sign(XIAOMING, FORGET.cancel))).toMatchObject({ kind: "forget", step: "cancel" });
    expect(press(signer.sign(JORDAN, FORGET.confirm))).toMatchObject({ kind: "expired" });
  });
});

describe("discordMessages", () => {
  const USER = XIAOMING;
  const buttons = (n: number, label = (i: number) => `Topic ${i}`) =>
    Array.from({ length: n }, (_, i) => ({ id: `t:${i}`, label: label(i) }));
  const componentsOf = (message: ReturnType<typeof discordMessages>[number] | undefined) =>
    (message && "components" in message ? message.components : []).flatMap((row) => row.components);

  it("sends a short answer as one message with only the write-reply button", () => {
    const [message, ...rest] = discordMessages({ text: "你好" }, USER, signer, "输入问题");
    expect(rest).toEqual([]);
    expect(message).toStrictEqual({
      content: "你好",
      components: [
        {
          type: 1,
          components: [{ type: 2, style: 1, label: "输入问题", custom_id: signer.sign(USER, WRITE_REPLY) }],
        },
      ],
    });
  });

  it("splits content at 2,000 characters, counting characters, with the buttons on the last part only", () => {
    const text = `${"密".repeat(1500)}\n${"😀".repeat(1500)}\n${"a".repeat(1200)}`;
    const messages = discordMessages({ text, buttons: buttons(2) }, USER, signer, "Write");
    expect(messages.length).toBe(3);
    for (const message of messages)
      expect([...message.content].length).toBeLessThanOrEqual(DISCORD_CONTENT_LIMIT);
    expect(messages.map((m) => m.content).join("\n")).toBe(text);
    expect(messages.slice(0, -1).every((m) => !("components" in m))).toBe(true);
    expect(componentsOf(messages.at(-1)).map((c) => c.label)).toEqual(["Topic 0", "Topic 1", "Write"]);
  });

  it("puts at most five buttons in a row, the write-reply button last and primary", () => {
    const [message] = discordMessages({ text: "menu", buttons: buttons(12) }, USER, signer, "Write");
    const rows = message && "components" in message ? message.components : [];
    expect(rows.map((row) => row.components.length)).toEqual([5, 5, 3]);
    expect(rows.every((row) => row.type === 1)).toBe(true);
    const all = componentsOf(message);
    expect(all.at(-1)).toMatchObject({ label: "Write", style: 1 });
    expect(all.slice(0, -1).every((c) => c.style === 2 && c.type === 2)).toBe(true);
  });

  it("fills five rows with 24 buttons and the write-reply button", () => {
    const [message] = discordMessages({ text: "menu", buttons: buttons(24) }, USER, signer, "Write");
    const rows = message && "components" in message ? message.components : [];
    expect(rows.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(signer.verify(USER, componentsOf(message).at(-1)?.custom_id ?? "")).toBe(WRITE_REPLY);
  });

  it("never shows more than 25 buttons in five rows", () => {
    const [message] = discordMessages({ text: "menu", buttons: buttons(40) }, USER, signer, "Write");
    const rows = message && "components" in message ? message.components : [];
    expect(rows.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(
      componentsOf(message)
        .slice(0, 24)
        .map((c) => c.label),
    ).toEqual(buttons(24).map((b) => b.label));
  });

  it("cuts labels to 80 characters, not code units, and never splits a surrogate pair", () => {
    const labels = ["😀".repeat(100), "转".repeat(90), `${"a".repeat(79)}😀`, "b".repeat(80)];
    const reply = { text: "x", buttons: labels.map((label, i) => ({ id: `t:${i}`, label })) };
    const [message] = discordMessages(reply, USER, signer, "Write");
    const cut = componentsOf(message).map((c) => c.label);
    expect(cut.slice(0, 4).map((label) => [...label].length)).toEqual([80, 80, 80, 80]);
    expect(cut[0]).toBe("😀".repeat(80));
    expect(cut[2]).toBe(`${"a".repeat(79)}😀`);
    expect(cut[3]).toBe("b".repeat(80));
  });

  it("signs every custom id for this user, within Discord's 100 characters", () => {
    const reply = {
      text: "x",
      buttons: [
        { id: "fb:n:account_compromised", label: "No" },
        { id: "human", label: "Human" },
      ],
    };
    const ids = componentsOf(discordMessages(reply, USER, signer, "Write")[0]).map((c) => c.custom_id);
    expect(ids.map((id) => signer.verify(USER, id))).toEqual([
      "fb:n:account_compromised",
      "human",
      WRITE_REPLY,
    ]);
    expect(ids.map((id) => signer.verify(JORDAN, id))).toEqual([undefined, undefined, undefined]);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
  });
});

describe("discord limits kept by the adapter", () => {
  it("keeps the write-reply button when a reply brings 25 buttons of its own", () => {
    const buttons = Array.from({ length: 25 }, (_, i) => ({ id: `t:b${i}`, label: `B${i}` }));
    const [message] = discordMessages({ text: "pick one", buttons }, XIAOMING, signer, "Write");
    const components = (message?.components ?? []).flatMap((row) => row.components);
    expect(components).toHaveLength(25);
    expect(components.at(-1)?.label).toBe("Write");
    expect(signer.verify(XIAOMING, components.at(-1)?.custom_id ?? "")).toBe(WRITE_REPLY);
  });

  it("refuses an interaction from nobody, but not a ping", () => {
    const base = { id: "1234567890123", application_id: "1234567890123", token: "t", version: 1 };
    expect(discordInteractionSchema.safeParse({ ...base, type: 2, data: { name: "ask" } }).success).toBe(
      false,
    );
    expect(discordInteractionSchema.safeParse({ ...base, type: 1 }).success).toBe(true);
    expect(
      discordInteractionSchema.safeParse({ ...base, type: 2, user: { id: XIAOMING }, data: { name: "ask" } })
        .success,
    ).toBe(true);
  });
});
