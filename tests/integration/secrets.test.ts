import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSecrets, secretNameFor } from "../../src/secrets.ts";
import { JsonApiServer } from "../support/json-api-server.ts";

/** A stand-in for SSM's JSON API on 127.0.0.1: GetParametersByPath with two pages. */
const requests: { target: string; body: Record<string, unknown> }[] = [];
const PAGES: Record<
  string,
  { Parameters: { Name: string; Value: string; Type: string }[]; NextToken?: string }
> = {
  "": {
    Parameters: [
      {
        Name: "/guardline/test/telegram-bot-token",
        Value: "7012345678:AAHsecretFromSsm_abcdefghijk",
        Type: "SecureString",
      },
      { Name: "/guardline/test/unrelated-setting", Value: "ignored", Type: "String" },
    ],
    NextToken: "page-2",
  },
  "page-2": {
    Parameters: [
      { Name: "/guardline/test/telegram-secret-token", Value: "from-ssm", Type: "SecureString" },
      { Name: "/guardline/test/discord-bot-token", Value: "from-ssm-discord", Type: "SecureString" },
    ],
  },
};
const ssm = new JsonApiServer(({ headers, body }) => {
  requests.push({ target: String(headers["x-amz-target"]), body });
  return {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.1" },
    body: PAGES[String(body.NextToken ?? "")],
  };
});
const saved = { ...process.env };

beforeAll(async () => {
  const url = await ssm.start();
  Object.assign(process.env, {
    AWS_REGION: "ap-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SSM: url,
  });
});

afterAll(async () => {
  process.env = saved;
  await ssm.stop();
});

describe("secrets from SSM Parameter Store", () => {
  it("maps parameter names to the variables it knows", () => {
    expect(secretNameFor("/guardline/prod/telegram-bot-token")).toBe("TELEGRAM_BOT_TOKEN");
    expect(secretNameFor("/guardline/prod/path")).toBeUndefined();
  });

  it("reads every page under the path, decrypted, and sets only known, unset variables", async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { SECRETS_SSM_PATH: "/guardline/test/", DISCORD_BOT_TOKEN: "already set" };

    // Act
    const set = await loadSecrets(env);

    // Assess
    expect(set.sort()).toEqual(["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"]);
    expect(env).toMatchObject({
      TELEGRAM_BOT_TOKEN: "7012345678:AAHsecretFromSsm_abcdefghijk",
      TELEGRAM_SECRET_TOKEN: "from-ssm",
      DISCORD_BOT_TOKEN: "already set",
    });
    expect(env).not.toHaveProperty("UNRELATED_SETTING");
    expect(requests.map((r) => r.target)).toEqual([
      "AmazonSSM.GetParametersByPath",
      "AmazonSSM.GetParametersByPath",
    ]);
    expect(requests[0]?.body).toMatchObject({ Path: "/guardline/test/", WithDecryption: true });
    expect(requests[1]?.body).toMatchObject({ NextToken: "page-2" });
  });

  it("does nothing without SECRETS_SSM_PATH", async () => {
    requests.length = 0;
    expect(await loadSecrets({})).toEqual([]);
    expect(requests).toEqual([]);
  });
});
