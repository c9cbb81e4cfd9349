import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSecrets, secretNameFor } from "../../src/secrets.ts";

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
let server: Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = "";
    request.on("data", (c: Buffer) => {
      text += c.toString();
    });
    request.on("end", () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      requests.push({ target: String(request.headers["x-amz-target"]), body });
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(PAGES[String(body.NextToken ?? "")]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    AWS_REGION: "ap-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
