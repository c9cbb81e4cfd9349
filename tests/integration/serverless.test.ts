import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { APIGatewayProxyHandlerV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";
import { ROUTES } from "../../src/local/routes.ts";
import { AgentStore } from "../../src/store/agent-store.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";
import { tableDefinition } from "../../src/store/table.ts";

const ROOT = join(import.meta.dirname, "..", "..");

interface HttpApiEvent {
  httpApi?: { method: string; path: string };
  schedule?: string;
}
interface ServerlessFunction {
  handler: string;
  events: HttpApiEvent[];
  package?: { patterns: string[] };
}

function readServerlessYml() {
  const document = parseDocument(readFileSync(join(ROOT, "serverless.yml"), "utf8"));
  expect(document.errors).toEqual([]);
  expect(document.warnings).toEqual([]);
  return document.toJS() as {
    functions: Record<string, ServerlessFunction>;
    provider: { iam: { role: { statements: { Action: string[]; Resource: unknown[] }[] } } };
    resources: { Resources: { GuardlineTable: { Properties: Record<string, unknown> } } };
  };
}

describe("serverless.yml", () => {
  it("declares exactly the routes the local server serves, with the same handler modules", () => {
    const yml = readServerlessYml();
    const declared = Object.entries(yml.functions).flatMap(([name, fn]) =>
      fn.events.flatMap((e) =>
        e.httpApi ? [`${e.httpApi.method} ${e.httpApi.path} → ${name} (${fn.handler})`] : [],
      ),
    );
    const served = ROUTES.map(
      (r) => `${r.method} ${r.path} → ${r.functionName} (${r.handlerFile.replace(/\.ts$/, "")}.handler)`,
    );
    expect(declared.sort()).toEqual(served.sort());
  });

  it("declares the table the store defines, with on-demand billing, point-in-time recovery and TTL", () => {
    const { Properties } = readServerlessYml().resources.Resources.GuardlineTable;
    const { TableName: _name, ...definition } = tableDefinition("unused");
    expect(Properties).toMatchObject(definition);
    expect(Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(Properties.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("grants only the DynamoDB actions the store sends, on this table and its index, and this stage's secrets", () => {
    const statements = readServerlessYml().provider.iam.role.statements;
    const source = ["conversation-store.ts", "agent-store.ts"]
      .map((f) => readFileSync(join(ROOT, "src/store", f), "utf8"))
      .join("\n");
    const used = [...source.matchAll(/new (\w+)Command\(/g)].map(
      (m) => `dynamodb:${commandAction(m[1] ?? "")}`,
    );
    expect(statements.map((s) => [...s.Action].sort())).toEqual([
      [...new Set(used)].sort(),
      ["ssm:GetParametersByPath"],
      ["lambda:InvokeFunction"],
      ["kms:Decrypt"],
    ]);
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless variable, not a JS template
    expect(JSON.stringify(statements[1]?.Resource)).toContain(":parameter/guardline/${sls:stage}");
    expect(JSON.stringify(statements[2]?.Resource)).toContain("-discordInteractions");
    expect(JSON.stringify(statements[3])).toContain("kms:ViaService");
  });
});

/** Document-client command names → the DynamoDB actions IAM knows them by. */
function commandAction(command: string): string {
  return (
    ({ Get: "GetItem", Put: "PutItem", BatchWrite: "BatchWriteItem" } as Record<string, string>)[command] ??
    command
  );
}

describe("npx serverless package", () => {
  const out = mkdtempSync(join(tmpdir(), "guardline-package-"));
  let zips: Record<string, Record<string, Uint8Array>>;

  beforeAll(async () => {
    // Offline and without AWS credentials, as on a fresh machine.
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" };
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, "node_modules/serverless/bin/serverless.js"), "package", "--package", out],
      { cwd: ROOT, env, timeout: 120_000 },
    );
    zips = Object.fromEntries(
      [...ROUTES.map((r) => r.functionName), "handoffJobs"].map((name) => [
        name,
        unzipSync(readFileSync(join(out, `${name}.zip`))),
      ]),
    );
  }, 180_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("builds one bundle per function, with the product model only where users are answered", () => {
    const answersUsers = ["webPostMessage", "telegramWebhook", "discordInteractions", "metaWebhook"];
    const needsContent = (name: string) => name.startsWith("agent") || name === "handoffJobs";
    const functions = [
      ...ROUTES.map((r) => [r.functionName, r.handlerFile] as const),
      ["handoffJobs", "handlers/handoff-jobs.ts"] as const,
    ];
    for (const [name, handlerFile] of functions) {
      const files = Object.keys(zips[name] ?? {}).sort();
      const bundle = handlerFile.replace(/\.ts$/, ".mjs");
      const expected = answersUsers.includes(name)
        ? [bundle, "generated/knowledge.json", "generated/model.json"]
        : needsContent(name)
          ? [bundle, "generated/knowledge.json"]
          : [bundle];
      expect(files, name).toEqual(expected.sort());
    }
  });

  /**
   * A function's zip unpacked as Lambda would into a task root, its handler loaded with a store to
   * talk to; `run` invokes it once with an API Gateway event.
   */
  async function packaged(name: string, handlerFile: string, table: string) {
    const taskRoot = mkdtempSync(join(tmpdir(), "guardline-task-"));
    for (const [path, bytes] of Object.entries(zips[name] ?? {})) {
      mkdirSync(dirname(join(taskRoot, path)), { recursive: true });
      writeFileSync(join(taskRoot, path), bytes);
    }
    const dynamo = await startEmbeddedDynamo();
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    await ensureTable(client, table);
    Object.assign(process.env, {
      LAMBDA_TASK_ROOT: taskRoot,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME: table,
      LOG_LEVEL: "error",
    });
    return {
      taskRoot,
      client,
      async run(event: Record<string, unknown>) {
        const { handler } = (await import(join(taskRoot, handlerFile))) as {
          handler: APIGatewayProxyHandlerV2;
        };
        const result = await handler(
          { version: "2.0", isBase64Encoded: false, headers: {}, ...event } as never,
          { awsRequestId: "test" } as never,
          () => undefined,
        );
        return result as APIGatewayProxyStructuredResultV2 | undefined;
      },
      async close() {
        for (const variable of ["LAMBDA_TASK_ROOT", "DYNAMODB_ENDPOINT", "TABLE_NAME", "LOG_LEVEL"])
          delete process.env[variable];
        client.destroy();
        await dynamo.close();
        rmSync(taskRoot, { recursive: true, force: true });
      },
    };
  }

  it("runs an agent function from its bundle, which has the knowledge bundle and no model", async () => {
    // Prepare
    const fn = await packaged("agentMe", "handlers/agent-me.mjs", "guardline-packaged-agents");
    try {
      const { token } = await createAgent(new AgentStore(fn.client, "guardline-packaged-agents"), {
        name: "Packaged",
        role: "agent",
      });

      // Act
      const result = await fn.run({
        routeKey: "GET /agent/me",
        headers: { authorization: `Bearer ${token}` },
        requestContext: { http: { method: "GET", sourceIp: "192.0.2.10" } },
      });

      // Assess
      expect(existsSync(join(fn.taskRoot, "generated/model.json"))).toBe(false);
      expect(result?.statusCode).toBe(200);
      const body = JSON.parse(result?.body ?? "{}");
      expect(body.agent.name).toBe("Packaged");
      expect(body.cannedReplies.length).toBeGreaterThan(0);
    } finally {
      await fn.close();
    }
  });

  it("produces bundles that run: the packaged message handler answers through a real store", async () => {
    const fn = await packaged("webPostMessage", "handlers/web-post-message.mjs", "guardline-packaged");
    try {
      // Act
      const body = JSON.stringify({ sessionId: "packaged-bundle-session-01", text: "忘记登录密码了怎么办" });
      const result = await fn.run({ routeKey: "POST /web/messages", body });

      // Assess
      expect(result?.statusCode).toBe(200);
      expect(JSON.parse(result?.body ?? "{}").replies[0].text).toContain("1.");
    } finally {
      await fn.close();
    }
  });
});
