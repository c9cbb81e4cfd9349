import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import {
  ChannelApiError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from "../../../src/errors.ts";
import {
  html,
  httpHandler,
  json,
  jsonBody,
  parseJson,
  rawBody,
  withinLimit,
} from "../../../src/http/api-gateway.ts";
import { configureLog } from "../../../src/log.ts";
import { validate } from "../../../src/validate.ts";
import { type CapturedLogs, captureLogs } from "../../support/log-capture.ts";

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** An HTTP API (payload format 2.0) event, shaped like the example in the API Gateway documentation. */
function event(body?: string, isBase64Encoded = false): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /api/chat",
    rawPath: "/api/chat",
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "id.execute-api.us-east-1.amazonaws.com" },
    requestContext: {
      accountId: "123456789012",
      apiId: "api-id",
      domainName: "id.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "id",
      http: {
        method: "POST",
        path: "/api/chat",
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: "agent",
      },
      requestId: "id",
      routeKey: "POST /api/chat",
      stage: "$default",
      time: "12/Mar/2020:19:03:58 +0000",
      timeEpoch: 1583348638390,
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

const context = { awsRequestId: "req-0001" } as Context;

async function invoke(
  handle: () => Promise<APIGatewayProxyStructuredResultV2>,
  body = '{"text":"SECRET-BODY-TEXT"}',
): Promise<APIGatewayProxyStructuredResultV2> {
  const handler = httpHandler("POST /api/chat", handle);
  return (await handler(event(body), context)) as APIGatewayProxyStructuredResultV2;
}

describe("json and html", () => {
  it("answers JSON with its content type and the security headers, extra headers added", () => {
    // Act
    const result = json(201, { ok: true, text: "中文" }, { location: "/x" });

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers).toEqual({
      "content-type": "application/json; charset=utf-8",
      ...SECURITY_HEADERS,
      location: "/x",
    });
    expect(JSON.parse(String(result.body))).toEqual({ ok: true, text: "中文" });
  });

  it("answers HTML with status 200, its content type and the security headers", () => {
    // Act
    const result = html("<p>hi</p>", { "content-security-policy": "default-src 'none'" });

    // Assess
    expect(result).toEqual({
      statusCode: 200,
      headers: {
        "content-type": "text/html; charset=utf-8",
        ...SECURITY_HEADERS,
        "content-security-policy": "default-src 'none'",
      },
      body: "<p>hi</p>",
    });
  });
});

describe("rawBody and jsonBody", () => {
  it("returns the exact bytes, decoding a base64-encoded body first", () => {
    // Prepare
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a]);

    // Act
    const decoded = rawBody(event(bytes.toString("base64"), true), 100);
    const text = rawBody(event("héllo"), 100);

    // Assess
    expect(decoded.equals(bytes)).toBe(true);
    expect(text.equals(Buffer.from("héllo", "utf8"))).toBe(true);
  });

  it("reads a missing body as empty", () => {
    expect(rawBody(event(), 10).length).toBe(0);
  });

  it("counts the limit in decoded bytes, and refuses a larger body naming the field", () => {
    // Prepare: 4 bytes are 8 characters of base64, 6 bytes of UTF-8 are 2 characters
    const fourBytes = Buffer.from("abcd").toString("base64");

    // Act + Assess
    expect(rawBody(event(fourBytes, true), 4).length).toBe(4);
    expect(() => rawBody(event("中文"), 5)).toThrow(ValidationError);
    const error = catchError(() => rawBody(event("x".repeat(11)), 10));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "body", status: 400, message: "body: larger than 10 bytes" });
  });

  it("parses a JSON body, base64-encoded or not", () => {
    // Prepare
    const text = '{"text":"忘记密码","n":1}';

    // Act + Assess
    expect(jsonBody(event(text), 1000)).toEqual({ text: "忘记密码", n: 1 });
    expect(jsonBody(event(Buffer.from(text).toString("base64"), true), 1000)).toEqual({
      text: "忘记密码",
      n: 1,
    });
  });

  it("turns malformed or empty JSON into a ValidationError on the body, keeping the cause", () => {
    for (const body of ['{"text":', "", "not json"]) {
      // Act
      const error = catchError(() => jsonBody(event(body), 1000));

      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: "body", message: "body: not valid JSON" });
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });

  it("checks the size before parsing", () => {
    expect(catchError(() => jsonBody(event('{"a":"long"}'), 5))).toMatchObject({
      message: "body: larger than 5 bytes",
    });
  });
});

describe("withinLimit and parseJson", () => {
  it("passes bytes up to the limit through unchanged and refuses one byte more", () => {
    // Prepare
    const bytes = Buffer.from("12345");

    // Act + Assess
    expect(withinLimit(bytes, 5)).toBe(bytes);
    expect(catchError(() => withinLimit(bytes, 4))).toMatchObject({
      name: "ValidationError",
      field: "body",
      message: "body: larger than 4 bytes",
    });
  });

  it("parses UTF-8 JSON bytes, and names the body when they are not JSON", () => {
    expect(parseJson(Buffer.from('["官方",1]'))).toEqual(["官方", 1]);
    const error = catchError(() => parseJson(Buffer.from([0x7b, 0xff])));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "body", message: "body: not valid JSON" });
  });
});

describe("httpHandler", () => {
  let logs: CapturedLogs;

  beforeEach(() => {
    configureLog({ level: "debug" });
    logs = captureLogs();
  });

  afterEach(() => {
    logs.stop();
    configureLog({ level: "info" });
  });

  const logged = () => logs.entries();

  it("passes the handler's result through and logs route, status and request id, not the body", async () => {
    // Act
    const result = await invoke(async () => json(200, { ok: true }));

    // Assess
    expect(result).toEqual(json(200, { ok: true }));
    expect(logged()).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "request",
        route: "POST /api/chat",
        status: 200,
        function_request_id: "req-0001",
        correlation_id: "req-0001",
        ms: expect.any(Number),
      }),
    ]);
    expect(logs.raw.join("\n")).not.toContain("SECRET-BODY-TEXT");
  });

  it("answers an AppError below 500 with its status, message and field, logged as a warning", async () => {
    // Act
    const result = await invoke(async () => {
      throw new ValidationError("text: too long", { field: "text" });
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject(SECURITY_HEADERS);
    expect(JSON.parse(String(result.body))).toEqual({ error: { message: "text: too long", field: "text" } });
    expect(logged()).toEqual([
      expect.objectContaining({
        level: "WARN",
        message: "request failed",
        route: "POST /api/chat",
        status: 400,
        errorName: "ValidationError",
        function_request_id: "req-0001",
        correlation_id: "req-0001",
      }),
    ]);
    expect(logs.raw.join("\n")).not.toContain("SECRET-BODY-TEXT");
  });

  it("answers other AppErrors below 500 with their status and message only", async () => {
    // Act
    const unauthorized = await invoke(async () => {
      throw new UnauthorizedError("missing or invalid token");
    });
    const tooMany = await invoke(async () => {
      throw new TooManyRequestsError("try again later");
    });

    // Assess
    expect(unauthorized.statusCode).toBe(401);
    expect(JSON.parse(String(unauthorized.body))).toEqual({ error: { message: "missing or invalid token" } });
    expect(tooMany.statusCode).toBe(429);
    expect(JSON.parse(String(tooMany.body))).toEqual({ error: { message: "try again later" } });
  });

  it("shows a ValidationError caused by a ZodError as `<field>: <first issue>`", async () => {
    // Prepare
    const schema = z.object({ text: z.string(), locale: z.enum(["en", "zh-Hans"]) });
    const fromValidate = catchError(() => validate(schema, { text: 5, locale: "fr" }, "web message"));
    const zodError = (fromValidate as Error).cause as z.core.$ZodError;
    const withoutField = new ValidationError("whatever", { cause: zodError });

    // Act
    const named = await invoke(async () => {
      throw fromValidate;
    });
    const unnamed = await invoke(async () => {
      throw withoutField;
    });

    // Assess
    expect(named.statusCode).toBe(400);
    expect(JSON.parse(String(named.body))).toEqual({
      error: { message: `text: ${zodError.issues[0]?.message}`, field: "text" },
    });
    expect(JSON.parse(String(unnamed.body))).toEqual({
      error: { message: `request: ${zodError.issues[0]?.message}` },
    });
  });

  it("answers anything else with a generic 500 that leaks nothing, logged as an error with its message and frames", async () => {
    // Prepare
    const failures: unknown[] = [
      new Error("connect ECONNREFUSED 10.0.0.7:8000 table=guardline-prod"),
      new ChannelApiError("telegram", "sendMessage", 400, "Bad Request: chat not found token=123:ABC"),
      "a thrown string with internals",
    ];

    for (const failure of failures) {
      logs.clear();

      // Act
      const result = await invoke(async () => {
        throw failure;
      });

      // Assess
      expect(result.statusCode).toBe(500);
      expect(result.headers).toMatchObject(SECURITY_HEADERS);
      expect(result.body).toBe('{"error":{"message":"internal error"}}');
      expect(logged()).toEqual([
        expect.objectContaining({
          level: "ERROR",
          message: "request failed",
          route: "POST /api/chat",
          status: 500,
          function_request_id: "req-0001",
          correlation_id: "req-0001",
        }),
      ]);
      expect(result.body).not.toMatch(/ECONNREFUSED|token=|internals/);
      expect(logs.raw.join("\n")).not.toMatch(/123:ABC|SECRET-BODY-TEXT/);
    }
  });

  it("logs a failure's message and stack frames naming source files, never the text, token or session it was about", async () => {
    // Act
    await invoke(async () => {
      throw new Error(
        'delivery failed for "我的助记词是 SECRET WORDS" to session web:Zx9_kLmNoPqRsTuVwXyZ012345 via https://api.telegram.org/bot7012345678:AAHfakeToken_abcdefghijk/sendMessage',
      );
    });

    // Assess
    const [line] = logged();
    expect(line).toMatchObject({ level: "ERROR", errorName: "Error" });
    expect(String(line?.errorMessage)).toMatch(
      /^delivery failed for … to session web:… via https:\/\/api\.telegram\.org\/bot…\/sendMessage$/,
    );
    expect(String(line?.errorStack)).toMatch(/api-gateway\.test\.ts:\d+:\d+/);
    expect(logs.raw.join("\n")).not.toMatch(
      /SECRET WORDS|助记词|Zx9_kLmNoPqRsTuVwXyZ012345|AAHfakeToken|7012345678/,
    );
  });

  it("logs the error's class name, or the type of a thrown non-Error", async () => {
    // Act
    await invoke(async () => {
      throw new TypeError("x is undefined");
    });
    await invoke(async () => {
      throw new ChannelApiError("discord", "POST /interactions", 503, "unavailable");
    });
    await invoke(async () => {
      throw 42;
    });

    // Assess
    expect(logged().map((l) => l.errorName)).toEqual(["TypeError", "ChannelApiError", "number"]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("httpHandler and a busy conversation", () => {
  it("answers 503 with Retry-After and the error's own plain message, not a generic 500", async () => {
    const result = await invoke(async () => {
      throw new ServiceUnavailableError("this conversation is busy; try again in a moment", 1);
    });
    expect(result.statusCode).toBe(503);
    expect(result.headers?.["retry-after"]).toBe("1");
    expect(JSON.parse(result.body ?? "")).toEqual({
      error: { message: "this conversation is busy; try again in a moment" },
    });
  });
});

describe("httpHandler and HEAD", () => {
  it("answers HEAD with the GET answer's status and headers, without the body", async () => {
    const page = async () => html("<!doctype html><title>x</title>", { "x-frame-options": "DENY" });
    const head = event();
    head.requestContext.http.method = "HEAD";
    const handler = httpHandler("GET /", page);
    const asHead = (await handler(head, context)) as APIGatewayProxyStructuredResultV2;
    const asGet = (await handler(event(), context)) as APIGatewayProxyStructuredResultV2;
    expect(asHead).toEqual({ ...asGet, body: "" });
    expect(asGet.body).toContain("<title>x</title>");
  });

  it("answers a failing HEAD with the error's status and headers, without the body", async () => {
    const head = event();
    head.requestContext.http.method = "HEAD";
    const handler = httpHandler("GET /", async () => {
      throw new ServiceUnavailableError("busy", 1);
    });
    const result = (await handler(head, context)) as APIGatewayProxyStructuredResultV2;
    expect(result).toMatchObject({ statusCode: 503, body: "", headers: { "retry-after": "1" } });
  });
});

describe("httpHandler metrics", () => {
  it("publishes one EMF line per request under its route: requests, server errors and latency", async () => {
    // Prepare: a fresh log module, with metrics on as in Lambda
    vi.resetModules();
    process.env.POWERTOOLS_METRICS_DISABLED = "false";
    const gateway = await import("../../../src/http/api-gateway.ts");
    const logs = captureLogs();
    try {
      const ok = gateway.httpHandler("POST /api/chat", async () => gateway.json(200, {}));
      const failing = gateway.httpHandler("POST /api/chat", async () => {
        throw new Error("store down");
      });

      // Act
      await ok(event(), context);
      await failing(event(), context);

      // Assess
      const blobs = logs.metrics();
      expect(blobs).toHaveLength(2);
      expect(blobs.map((b) => [b.route, b.Requests, b.ServerErrors])).toEqual([
        ["POST /api/chat", 1, 0],
        ["POST /api/chat", 1, 1],
      ]);
      expect(blobs[0]).toMatchObject({
        service: "guardline",
        Latency: expect.any(Number),
        _aws: {
          CloudWatchMetrics: [
            expect.objectContaining({ Namespace: "Guardline", Dimensions: [["service", "route"]] }),
          ],
        },
      });
      expect(logs.raw.join("\n")).not.toContain("SECRET-BODY-TEXT");
    } finally {
      logs.stop();
      process.env.POWERTOOLS_METRICS_DISABLED = "true";
      vi.resetModules();
    }
  });
});
