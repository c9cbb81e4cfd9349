import { resolve } from "node:path";
import { loadConfig } from "../config.ts";
import { reachable } from "./embedded-dynamo.ts";
import { type LocalServer, startLocalServer } from "./server.ts";
import { startupProblems, unreachableStore } from "./startup-problems.ts";

/** `npm start`: the whole product on this machine, no tokens and no AWS account needed. */
// The SDK warns on Node 20 about its releases of 2027; Node 20 is supported here, the warning is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// CloudWatch metric lines (EMF) are for Lambda; POWERTOOLS_METRICS_DISABLED=false prints them here.
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
const started = performance.now();

/** A start-up problem is one line per cause and exit code 1; anything else is reported in full. */
function fail(problems: string[]): never {
  process.stderr.write(`Guardline cannot start:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  process.exit(1);
}

async function start(): Promise<{ config: ReturnType<typeof loadConfig>; server: LocalServer }> {
  try {
    const config = loadConfig();
    const { env } = config;
    if (env.DYNAMODB_ENDPOINT && !(await reachable(env.DYNAMODB_ENDPOINT, 3_000)))
      fail([unreachableStore(env.DYNAMODB_ENDPOINT)]);
    const server = await startLocalServer({
      port: env.PORT,
      host: env.HOST,
      tableName: env.TABLE_NAME,
      ...(env.DYNAMODB_ENDPOINT
        ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT }
        : { dataDir: resolve(env.DATA_DIR), advertiseStore: true }),
    });
    return { config, server };
  } catch (error) {
    const problems = startupProblems(error);
    if (problems) fail(problems);
    throw error;
  }
}

const {
  config: { env, channels },
  server,
} = await start();
const dataDir = resolve(env.DATA_DIR);
const store = env.DYNAMODB_ENDPOINT
  ? `DynamoDB at ${env.DYNAMODB_ENDPOINT}`
  : `embedded store in ${dataDir} (DynamoDB API at ${server.dynamodbEndpoint})`;
const lines = [
  `Guardline is running (${Math.round(performance.now() - started)} ms), ${store}, table ${env.TABLE_NAME}`,
  "",
  `  web chat   ${server.url}`,
  `  widget     ${server.url}widget.js   (for the sites in WEB_ALLOWED_ORIGINS: ${env.WEB_ALLOWED_ORIGINS.join(", ") || "none set"})`,
  `  console    ${server.url}console`,
  `  agents     npm run cli -- agent:create --name <name>   (works while this runs: same store)`,
  `  health     ${server.url}healthz`,
  ...(channels.telegram.enabled
    ? [`  telegram   ${server.url}webhooks/telegram (POST, Bot API at ${env.TELEGRAM_API_ROOT})`]
    : []),
  ...(channels.meta.enabled
    ? [
        `  meta       ${server.url}webhooks/meta (GET verify, POST notifications; Graph API at ${env.META_API_ROOT})`,
      ]
    : []),
  "",
  "channels:",
  ...Object.entries(channels).map(
    ([name, status]) => `  ${name.padEnd(9)} ${status.enabled ? "enabled" : `disabled (${status.reason})`}`,
  ),
  "",
  "Ctrl+C stops it.",
];
process.stdout.write(`${lines.join("\n")}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
