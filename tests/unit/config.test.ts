import { describe, expect, it } from "vitest";
import { CHANNEL_NAMES, CHANNEL_SETTINGS } from "../../src/channels/registry.ts";
import { loadConfig } from "../../src/config.ts";
import { ValidationError } from "../../src/errors.ts";
import { SECRET_NAMES, secretNameFor } from "../../src/secrets.ts";

describe("loadConfig", () => {
  it("takes every default from an empty environment and turns on only the web chat", () => {
    const { env, channels } = loadConfig({});
    expect(env).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", TABLE_NAME: "guardline", RETENTION_DAYS: 90 });
    expect(env.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(Object.keys(channels).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(channels.web).toEqual({ enabled: true });
    expect(channels.telegram).toEqual({
      enabled: false,
      reason: "missing TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN",
    });
  });

  it("turns a channel on only with every credential, and treats a blank one as missing", () => {
    const token = "7012345678:AAHfakeTokenForConfigTest_abc";
    const half = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_SECRET_TOKEN: "  " });
    const whole = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_SECRET_TOKEN: "s3cret" });
    expect(half.channels.telegram).toEqual({ enabled: false, reason: "missing TELEGRAM_SECRET_TOKEN" });
    expect(whole.channels.telegram).toEqual({ enabled: true });
    expect(whole.channels.discord.enabled).toBe(false);
  });

  it.each([
    ["TELEGRAM_BOT_TOKEN", "not-a-token"],
    ["TELEGRAM_AGENT_CHAT_ID", "12345"],
    ["DISCORD_PUBLIC_KEY", "xyz"],
    ["DISCORD_DEFER_AFTER_MS", "5000"],
    ["META_API_ROOT", "ftp://graph.example.com"],
    ["RETENTION_DAYS", "0"],
    ["TABLE_NAME", "a b"],
  ])("refuses a bad %s with a readable error naming it", (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(name);
    expect((error as Error).message).toContain("environment");
  });

  it("reads the agents' group id as a negative number", () => {
    expect(loadConfig({ TELEGRAM_AGENT_CHAT_ID: "-1001234567890" }).env.TELEGRAM_AGENT_CHAT_ID).toBe(
      -1001234567890,
    );
  });
});

describe("the channel registry", () => {
  it("declares, for every platform, credentials that are its own settings and secrets among them", () => {
    for (const name of CHANNEL_NAMES) {
      const settings = CHANNEL_SETTINGS[name];
      const variables = Object.keys(settings.env.shape);
      for (const credential of settings.credentials) expect(variables).toContain(credential);
      for (const secret of settings.secrets)
        expect(settings.credentials as readonly string[]).toContain(secret);
      expect(settings.label.length).toBeGreaterThan(0);
    }
  });

  it("gives SSM exactly the channels' secrets, and an application id is not one", () => {
    expect([...SECRET_NAMES].sort()).toEqual(
      CHANNEL_NAMES.flatMap((n) => [...CHANNEL_SETTINGS[n].secrets]).sort(),
    );
    expect(secretNameFor("/guardline/prod/discord-bot-token")).toBe("DISCORD_BOT_TOKEN");
    expect(secretNameFor("/guardline/prod/discord-application-id")).toBeUndefined();
  });

  it("tells agents until when a WhatsApp user can be answered, and nothing for a malformed address", () => {
    const reach = CHANNEL_SETTINGS.meta.reach;
    expect(reach("meta:wa:1065:8613800000000", "2026-01-01T00:00:00.000Z")).toEqual({
      platform: "whatsapp",
      replyUntil: "2026-01-02T00:00:00.000Z",
    });
    expect(reach("meta:fb:1042:650000", "2026-01-01T00:00:00.000Z")?.replyUntil).toBe(
      "2026-01-08T00:00:00.000Z",
    );
    expect(reach("meta:xx:1:2", "2026-01-01T00:00:00.000Z")).toBeUndefined();
  });
});
