import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { APIGatewayProxyHandlerV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadConfig } from "../../src/config.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";
import { ROUTES } from "../../src/local/routes.ts";
import { JOBS_ROUTE } from "../../src/log.ts";
import { SECRET_NAMES } from "../../src/secrets.ts";
import { AgentStore } from "../../src/store/agent-store.ts";
import { createDocumentClient } from "../../src/store/client.ts";
import { ensureTable } from "../../src/store/ensure-table.ts";
import { tableDefinition } from "../../src/store/table.ts";
import { captureLogs } from "../support/log-capture.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** The stage parameters a production deploy with every channel sets (secrets stay in SSM). */
const PARAMS = {
  discordApplicationId: "123456789012345678",
  telegramAgentChatId: "-1001234567890",
  registryPublicKey: "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
  telegramApiRoot: "https://telegram.example.net",
  metaApiRoot: "https://graph.example.net",
  alarmEmail: "ops@example.com",
  slaEscalationThreshold: "5",
  webAllowedOrigins: "https://www.example.com,https://help.example.com",
};

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
    resources: (string | { Resources: { GuardlineTable?: { Properties: Record<string, unknown> } } })[];
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
    const declared = readServerlessYml().resources.flatMap((r) =>
      typeof r === "object" && r.Resources.GuardlineTable ? [r.Resources.GuardlineTable] : [],
    );
    const { Properties } = declared[0] ?? { Properties: {} };
    const { TableName: _name, ...definition } = tableDefinition("unused");
    expect(Properties).toMatchObject(definition);
    expect(Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(Properties.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });
});

/** Document-client command names → the DynamoDB actions IAM knows them by. */
function commandAction(command: string): string {
  return (
    (
      { Get: "GetItem", Put: "PutItem", BatchWrite: "BatchWriteItem", BatchGet: "BatchGetItem" } as Record<
        string,
        string
      >
    )[command] ?? command
  );
}

describe("npx serverless package", () => {
  const out = mkdtempSync(join(tmpdir(), "guardline-package-"));
  let zips: Record<string, Record<string, Uint8Array>>;
  // biome-ignore lint/suspicious/noExplicitAny: the compiled CloudFormation template, read as JSON
  let template: { Resources: Record<string, any>; Conditions: Record<string, unknown> };

  beforeAll(async () => {
    // Offline and without AWS credentials, as on a fresh machine.
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" };
    await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, "node_modules/serverless/bin/serverless.js"),
        "package",
        "--package",
        out,
        "--stage",
        "prod",
        ...Object.entries(PARAMS).flatMap(([name, value]) => ["--param", `${name}=${value}`]),
      ],
      { cwd: ROOT, env, timeout: 120_000 },
    );
    template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"));
    zips = Object.fromEntries(
      [...ROUTES.map((r) => r.functionName), "handoffJobs"].map((name) => [
        name,
        unzipSync(readFileSync(join(out, `${name}.zip`))),
      ]),
    );
  }, 180_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  /** The function resources of the template, by their serverless.yml names. */
  const functions = () =>
    Object.fromEntries(
      Object.entries(template.Resources)
        .filter(([, r]) => r.Type === "AWS::Lambda::Function")
        .map(([key, r]) => [key.replace(/LambdaFunction$/, "").replace(/^./, (c) => c.toLowerCase()), r]),
    );
  /** Conditions the template decides from stage parameters (two literals compared), by name. */
  const condition = (name: string): boolean => {
    const [a, b] = (template.Conditions[name] as { "Fn::Equals": [unknown, unknown] })["Fn::Equals"];
    expect(typeof a === "string" && typeof b === "string", name).toBe(true);
    return a === b;
  };
  /** `Fn::If` as CloudFormation resolves it; `AWS::NoValue` is undefined. */
  const resolveIf = (value: unknown): unknown => {
    const branch = (value as { "Fn::If"?: [string, unknown, unknown] })?.["Fn::If"];
    if (!branch) return value;
    const chosen = condition(branch[0]) ? branch[1] : branch[2];
    return (chosen as { Ref?: string })?.Ref === "AWS::NoValue" ? undefined : chosen;
  };
  /** Every IAM action a function's role allows, with the resources, as text. */
  const grants = (fn: { Properties: { Role: { "Fn::GetAtt": [string, string] } } }) => {
    const role = template.Resources[fn.Properties.Role["Fn::GetAtt"][0]];
    expect(role?.Type).toBe("AWS::IAM::Role");
    const statements = role.Properties.Policies.map(resolveIf)
      .filter((p: unknown) => p !== undefined)
      .flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement) as {
      Action: string[];
      Resource: unknown;
    }[];
    return statements.flatMap((st) =>
      st.Action.map((action) => ({ action, resource: JSON.stringify(st.Resource) })),
    );
  };

  it("passes every channel's settings to every function from stage parameters", () => {
    for (const [name, fn] of Object.entries(functions())) {
      const variables = fn.Properties.Environment.Variables;
      expect(variables, name).toMatchObject({
        DISCORD_APPLICATION_ID: PARAMS.discordApplicationId,
        TELEGRAM_AGENT_CHAT_ID: PARAMS.telegramAgentChatId,
        REGISTRY_PUBLIC_KEY: PARAMS.registryPublicKey,
        TELEGRAM_API_ROOT: PARAMS.telegramApiRoot,
        META_API_ROOT: PARAMS.metaApiRoot,
        WEB_ALLOWED_ORIGINS: PARAMS.webAllowedOrigins,
        RETENTION_DAYS: "90",
        LOG_LEVEL: "info",
        SECRETS_SSM_PATH: "/guardline/prod/",
      });
      // Secrets never reach the template: they come from SSM at cold start.
      for (const secret of SECRET_NAMES) expect(variables, name).not.toHaveProperty(secret);
    }
    // And the configuration they make is valid: the channels turn on once the secrets are there.
    const { channels } = loadConfig({
      ...functions().webPostMessage.Properties.Environment.Variables,
      TABLE_NAME: "guardline-prod", // a reference to the table in the template
      ...Object.fromEntries(
        SECRET_NAMES.map((n) => [
          n,
          n === "TELEGRAM_BOT_TOKEN"
            ? "1:AAAAAAAAAAAAAAAAAAAAAAAA"
            : n === "DISCORD_PUBLIC_KEY"
              ? "a".repeat(64)
              : "secret",
        ]),
      ),
    });
    expect(Object.values(channels).every((c) => c.enabled)).toBe(true);
  });

  it("gives each function a role of its own kind that allows only what its code does", () => {
    const table = /GuardlineTable/;
    const expected: Record<string, string[]> = {
      page: ["logs:CreateLogStream", "logs:PutLogEvents"],
      health: ["logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParametersByPath", "kms:Decrypt"],
      reader: ["logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem", "dynamodb:Query"],
      label: ["logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem", "dynamodb:PutItem"],
      misses: [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
      ],
      bot: [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
        "ssm:GetParametersByPath",
        "kms:Decrypt",
      ],
    };
    const kinds: Record<string, string[]> = {
      page: ["webPage", "webWidget", "consolePage"],
      health: ["health"],
      reader: [
        "webListMessages",
        "agentMe",
        "agentConversations",
        "agentConversation",
        "agentAudit",
        "agentInsights",
      ],
      label: ["agentLabel"],
      misses: ["agentInsightsMisses"],
      bot: [
        "webPostMessage",
        "telegramWebhook",
        "metaWebhook",
        "agentClaim",
        "agentReply",
        "agentNote",
        "agentHandback",
        "agentResolve",
      ],
    };
    const all = functions();
    for (const [kind, names] of Object.entries(kinds)) {
      for (const name of names) {
        const actions = grants(all[name]).map((g) => g.action);
        expect(actions.sort(), name).toEqual([...(expected[kind] ?? [])].sort());
      }
    }
    const job = grants(all.handoffJobs).map((g) => g.action);
    expect(job.sort()).toEqual([...(expected.bot ?? []), "sqs:SendMessage"].sort());
    const discord = grants(all.discordInteractions);
    expect(discord.map((g) => g.action).sort()).toEqual(
      [...(expected.bot ?? []), "sqs:SendMessage", "lambda:InvokeFunction"].sort(),
    );
    // Every grant names its resources: the table and its index, this stage's secrets, its own function.
    for (const fn of Object.values(all)) {
      for (const { action, resource } of grants(fn)) {
        expect(resource, action).not.toBe('"*"');
        if (action.startsWith("dynamodb:")) expect(resource).toMatch(table);
        if (action.startsWith("ssm:")) expect(resource).toContain(":parameter/guardline/prod/*");
        if (action === "kms:Decrypt") expect(resource).toContain(":key/*");
        if (action === "lambda:InvokeFunction")
          expect(resource).toContain("guardline-prod-discordInteractions");
      }
    }
    // Only the store's own commands: every DynamoDB action granted is one the code sends.
    const source = ["conversation-store.ts", "agent-store.ts", "insights-store.ts", "delivery-ledger.ts"]
      .map((f) => readFileSync(join(ROOT, "src/store", f), "utf8"))
      .join("\n");
    const used = new Set(
      [...source.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${commandAction(m[1] ?? "")}`),
    );
    // The misses list reads the transcript's messages by key (BatchGetItem); nothing else needs it.
    expect([...used].sort()).toEqual(
      [...(expected.bot ?? []), "dynamodb:BatchGetItem"].filter((a) => a.startsWith("dynamodb:")).sort(),
    );
    const kms = JSON.stringify(template.Resources.BotRole.Properties.Policies);
    expect(kms).toContain("kms:ViaService");
  });

  it("traces only when the stage says so: X-Ray off by default, and then no role may write traces", () => {
    expect(condition("TracingActive")).toBe(false);
    for (const [name, fn] of Object.entries(functions())) {
      expect(fn.Properties.TracingConfig, name).toEqual({ Mode: "PassThrough" });
      expect(resolveIf(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED), name).toBe("false");
      const role = template.Resources[fn.Properties.Role["Fn::GetAtt"][0]];
      // With tracing on, each role gains exactly the two X-Ray writes (X-Ray has no resource-level grants).
      const traces = role.Properties.Policies.filter((p: { "Fn::If"?: unknown[] }) => p["Fn::If"]);
      expect(
        traces.map((p: { "Fn::If": unknown[] }) => p["Fn::If"]),
        name,
      ).toEqual([
        [
          "TracingActive",
          {
            PolicyName: "traces",
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                  Resource: "*",
                },
              ],
            },
          },
          { Ref: "AWS::NoValue" },
        ],
      ]);
    }
  });

  it("alarms per route on 5xx, per function on errors and throttles, on SLA escalations, DynamoDB throttling and dead letters, to a topic that mails the operator", () => {
    const alarms = Object.entries(template.Resources).filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm");
    for (const [name, alarm] of alarms)
      expect(alarm.Properties.AlarmActions, name).toEqual([{ Ref: "AlarmTopic" }]);
    expect(JSON.stringify(template.Resources.AlarmTopic.Properties)).toContain(PARAMS.alarmEmail);
    const props = alarms.map(([, r]) => r.Properties);
    const single = (namespace: string, metric: string) =>
      props.filter((p) => p.Namespace === namespace && p.MetricName === metric);

    // Every function: Lambda errors and throttles, by its own name
    const declared = readServerlessYml().functions;
    for (const metric of ["Errors", "Throttles"]) {
      const watched = single("AWS/Lambda", metric).map((p) => p.Dimensions[0].Value.Ref);
      expect(watched.sort(), metric).toEqual(
        Object.keys(declared)
          .map((n) => `${n[0]?.toUpperCase()}${n.slice(1)}LambdaFunction`)
          .sort(),
      );
    }

    // Every HTTP route but HEAD: the share of 5xx answers, from the metrics the handlers publish
    const routes = Object.values(declared).flatMap((f) =>
      f.events.flatMap((e) =>
        e.httpApi && !["HEAD", "OPTIONS"].includes(e.httpApi.method)
          ? [`${e.httpApi.method} ${e.httpApi.path}`]
          : [],
      ),
    );
    const perRoute = props.filter((p) => p.Metrics);
    const routeOf = (p: (typeof props)[number], id: string) => {
      const stat = p.Metrics.find((m: { Id: string }) => m.Id === id).MetricStat;
      expect(stat.Metric.Namespace).toBe("Guardline/prod");
      return Object.fromEntries(
        stat.Metric.Dimensions.map((d: { Name: string; Value: string }) => [d.Name, d.Value]),
      );
    };
    expect(perRoute.map((p) => routeOf(p, "errors").route).sort()).toEqual(routes.sort());
    for (const p of perRoute) {
      expect(routeOf(p, "requests")).toEqual(routeOf(p, "errors"));
      expect(routeOf(p, "errors").service).toBe("guardline");
      expect(p.Metrics.find((m: { Id: string }) => m.Id === "percent").Expression).toBe(
        "IF(requests >= 20, 100 * errors / requests, 0)",
      );
      expect(p).toMatchObject({ Threshold: 1, ComparisonOperator: "GreaterThanThreshold" });
    }

    // SLA escalations over N, from the job's metric
    const [sla] = single("Guardline/prod", "SlaEscalations");
    expect(sla).toMatchObject({
      Dimensions: [
        { Name: "service", Value: "guardline" },
        { Name: "route", Value: JOBS_ROUTE },
      ],
      Statistic: "Sum",
      Threshold: 5,
      ComparisonOperator: "GreaterThanThreshold",
    });

    // The API as a whole, the table and the dead letters
    expect(single("AWS/ApiGateway", "5xx")).toHaveLength(1);
    expect(single("AWS/DynamoDB", "ThrottledRequests")).toHaveLength(1);
    expect(single("AWS/SQS", "ApproximateNumberOfMessagesVisible")).toHaveLength(1);
  });

  it("names the metrics' namespace and service for every function, as the alarms read them", () => {
    for (const [name, fn] of Object.entries(functions())) {
      expect(fn.Properties.Environment.Variables, name).toMatchObject({
        POWERTOOLS_SERVICE_NAME: "guardline",
        POWERTOOLS_METRICS_NAMESPACE: "Guardline/prod",
      });
    }
  });

  it("sends failed asynchronous invocations to a dead-letter queue, and throttles the API and the web chat", () => {
    const configs = Object.values(template.Resources).filter(
      (r) => r.Type === "AWS::Lambda::EventInvokeConfig",
    );
    expect(configs.map((c) => c.Properties.FunctionName.Ref).sort()).toEqual(
      ["DiscordInteractionsLambdaFunction", "HandoffJobsLambdaFunction"].sort(),
    );
    for (const c of configs)
      expect(c.Properties.DestinationConfig.OnFailure.Destination).toEqual({
        "Fn::GetAtt": ["DeadLetterQueue", "Arn"],
      });
    expect(template.Resources.HttpApiStage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: "200",
      ThrottlingBurstLimit: "400",
    });
    expect(functions().webPostMessage.Properties.ReservedConcurrentExecutions).toBe(20);
  });

  it("bundles no use of Node's deprecated punycode module, which prints a warning on Node 22", () => {
    for (const [name, files] of Object.entries(zips)) {
      for (const [path, bytes] of Object.entries(files)) {
        if (!path.endsWith(".mjs")) continue;
        expect(Buffer.from(bytes).toString("utf8"), name).not.toMatch(/require\(["']punycode["']\)/);
      }
    }
  });

  it("builds one bundle per function, with the product model only where users are answered", () => {
    // The pages' built documents and CSP hashes (npm run build:web), each where it is served.
    const pages: Record<string, string[]> = {
      webPage: ["generated/web/chat.html", "generated/web/pages.json"],
      consolePage: ["generated/web/console.html", "generated/web/pages.json"],
      webWidget: ["generated/web/widget.js"],
    };
    const answersUsers = ["webPostMessage", "telegramWebhook", "discordInteractions", "metaWebhook"];
    const needsContent = (name: string) => name.startsWith("agent") || name === "handoffJobs";
    const functions = [
      ...ROUTES.map((r) => [r.functionName, r.handlerFile] as const),
      ["handoffJobs", "handlers/handoff-jobs.ts"] as const,
    ];
    for (const [name, handlerFile] of functions) {
      const files = Object.keys(zips[name] ?? {}).sort();
      const bundle = handlerFile.replace(/\.ts$/, ".mjs");
      // Each bundle has its source map beside it, for the stacks of logged errors.
      const code = [bundle, `${bundle}.map`];
      const expected = answersUsers.includes(name)
        ? [...code, "generated/knowledge.json", "generated/model.json"]
        : needsContent(name)
          ? [...code, "generated/knowledge.json"]
          : [...code, ...(pages[name] ?? [])];
      expect(files, name).toEqual(expected.sort());
    }
  });

  /**
   * A function's zip unpacked as Lambda would into a task root, its handler loaded with a store to
   * talk to; `run` invokes it once with an API Gateway event.
   */
  async function packaged(name: string, handlerFile: string, table: string, options = { createTable: true }) {
    const taskRoot = mkdtempSync(join(tmpdir(), "guardline-task-"));
    for (const [path, bytes] of Object.entries(zips[name] ?? {})) {
      mkdirSync(dirname(join(taskRoot, path)), { recursive: true });
      writeFileSync(join(taskRoot, path), bytes);
    }
    const dynamo = await startEmbeddedDynamo();
    const client = createDocumentClient({ endpoint: dynamo.endpoint });
    if (options.createTable) await ensureTable(client, table);
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

  it("logs a packaged function's failure with its message and a stack mapped back to source files, never the text, session or token", async () => {
    // Prepare: the table does not exist, so the store fails every request
    const fn = await packaged("webPostMessage", "handlers/web-post-message.mjs", "guardline-missing", {
      createTable: false,
    });
    const logs = captureLogs();
    try {
      const sessionId = "packaged-failure-session-0123456789";
      const text = "我的助记词是 abandon ability able about 请帮我";

      // Act
      const result = await fn.run({
        routeKey: "POST /web/messages",
        body: JSON.stringify({ sessionId, text }),
      });

      // Assess
      expect(result?.statusCode).toBe(500);
      const failure = logs.entries().find((e) => e.message === "request failed");
      expect(failure).toMatchObject({
        level: "ERROR",
        route: "POST /web/messages",
        status: 500,
        errorName: "ResourceNotFoundException",
        errorMessage: "Requested resource not found",
        function_request_id: "test",
      });
      const frames = String(failure?.errorStack).split("\n");
      // Minified frames (handlers/web-post-message.mjs:<line>:<column>) come back as source files and lines.
      expect(frames.some((f) => /\bsrc\/store\/conversation-store\.ts:\d+:\d+/.test(f))).toBe(true);
      expect(frames.some((f) => /web-post-message\.mjs:\d+:/.test(f))).toBe(false);
      const all = logs.raw.join("\n");
      expect(all).not.toContain(sessionId);
      expect(all).not.toMatch(/助记词|abandon|请帮我/);
    } finally {
      logs.stop();
      await fn.close();
    }
  });
});
