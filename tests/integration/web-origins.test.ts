import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { ValidationError } from "../../src/errors.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { createDocumentClient } from "../../src/store/client.ts";

const ALLOWED = "https://help.example.com";
let server: LocalServer;
let client: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  process.env.WEB_ALLOWED_ORIGINS = `${ALLOWED}, https://www.example.com`;
  server = await startLocalServer({ tableName: "guardline-web-origins" });
  client = createDocumentClient({ endpoint: server.dynamodbEndpoint });
}, 30_000);

afterAll(async () => {
  delete process.env.WEB_ALLOWED_ORIGINS;
  client?.destroy();
  await server?.close();
});

const messages = () => new URL("web/messages", server.url);

function post(sessionId: string, origin?: string) {
  return fetch(messages(), {
    method: "POST",
    headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
    body: JSON.stringify({ sessionId, text: "手续费怎么算" }),
  });
}

async function storedFor(sessionId: string): Promise<number> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: "guardline-web-origins" }));
  return Items.filter((i) => String(i.pk).includes(sessionId) || String(i.userKey ?? "").includes(sessionId))
    .length;
}

describe("the web chat's allowed origins", () => {
  it("answers an allowed site's preflight with the CORS headers", async () => {
    const response = await fetch(messages(), {
      method: "OPTIONS",
      headers: { origin: ALLOWED, "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("vary")).toBe("origin");
  });

  it("answers an allowed site's message, naming the origin back", async () => {
    const response = await post("origin-allowed-session-000001", ALLOWED);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const body = (await response.json()) as { replies: unknown[] };
    expect(body.replies.length).toBeGreaterThan(0);
    expect(await storedFor("origin-allowed-session-000001")).toBeGreaterThan(0);
  });

  it("refuses another site's message, preflight and history with 403, storing nothing", async () => {
    const sessionId = "origin-foreign-session-000001";
    const refused = await post(sessionId, "https://evil.example.net");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(await refused.json()).toEqual({ error: { message: "this site may not use the web chat" } });
    expect(await storedFor(sessionId)).toBe(0);
    const preflight = await fetch(messages(), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.net" },
    });
    expect(preflight.status).toBe(403);
    const history = await fetch(new URL(`web/messages?sessionId=${sessionId}`, server.url), {
      headers: { origin: "null" },
    });
    expect(history.status).toBe(403);
  });

  it("lets the chat's own page and clients without an Origin through, without CORS headers", async () => {
    const own = await post("origin-own-page-session-0001", new URL(server.url).origin);
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
    const plain = await post("origin-no-header-session-001");
    expect(plain.status).toBe(200);
  });

  it("lets exactly the allowed sites frame the chat page, and serves them the widget", async () => {
    // Act
    const page = await fetch(server.url);
    const widget = await fetch(new URL("widget.js", server.url), { headers: { referer: `${ALLOWED}/help` } });
    const other = await fetch(new URL("widget.js", server.url), {
      headers: { referer: "https://evil.example.com/" },
    });

    // Assess: frame-ancestors names the sites; X-Frame-Options (no allow list) is not sent
    expect(page.headers.get("content-security-policy")).toMatch(
      /frame-ancestors https:\/\/help\.example\.com https:\/\/www\.example\.com(;|$)/,
    );
    expect(page.headers.get("x-frame-options")).toBeNull();
    expect(widget.status).toBe(200);
    expect(other.status).toBe(403);
  });

  it("stops a start whose allowed origins are not origins, naming the variable", () => {
    for (const bad of ["help.example.com", "https://help.example.com/chat", "ftp://x.example.com"]) {
      let error: unknown;
      try {
        loadConfig({ WEB_ALLOWED_ORIGINS: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, bad).toMatch(/^WEB_ALLOWED_ORIGINS/);
    }
    expect(loadConfig({ WEB_ALLOWED_ORIGINS: " " }).env.WEB_ALLOWED_ORIGINS).toEqual([]);
  });
});
