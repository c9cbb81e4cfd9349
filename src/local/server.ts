import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EVERY_CHANNEL } from "../app/adapters.ts";
import { agentRuntime } from "../app/agents.ts";
import { resetRuntime, runtime, useAgentRoom, useChannels } from "../app/runtime.ts";
import { errorFields, logger } from "../log.ts";
import { ensureTable } from "../store/ensure-table.ts";
import { fromApiGatewayResult, lambdaContext, toApiGatewayEvent } from "./api-gateway-event.ts";
import { startEmbeddedDynamo } from "./embedded-dynamo.ts";
import { matchRoute, type Route } from "./routes.ts";

export interface LocalServerOptions {
  port?: number;
  host?: string;
  /** Where the embedded store keeps its files; without it, and without an endpoint, it is in memory. */
  dataDir?: string;
  /** Record the embedded store's endpoint in `dataDir` for the CLI (what `npm start` does). */
  advertiseStore?: boolean;
  /** Use this DynamoDB-compatible store instead of starting the embedded one. */
  dynamodbEndpoint?: string;
  tableName?: string;
}

export interface LocalServer {
  url: string;
  /** The store the handlers talk to. */
  dynamodbEndpoint: string;
  close(): Promise<void>;
}

/** API Gateway refuses payloads over 10 MB; so does the local server, and handlers set their own limits. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

let running = false;

/**
 * The local runtime behind `npm start`: a DynamoDB-compatible store, the table from the same
 * definition serverless.yml declares, and every route served by the Lambda handler modules with
 * API Gateway v2 events. Handlers read their configuration from the environment, as in Lambda, so
 * one server runs per process at a time.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  if (running) throw new Error("a local server is already running in this process");
  running = true;
  const saved = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  const embedded = options.dynamodbEndpoint
    ? undefined
    : await startEmbeddedDynamo(
        options.dataDir ? { dataDir: options.dataDir, advertise: options.advertiseStore === true } : {},
      );
  const endpoint = options.dynamodbEndpoint ?? embedded?.endpoint ?? "";
  process.env.DYNAMODB_ENDPOINT = endpoint;
  if (options.tableName) process.env.TABLE_NAME = options.tableName;
  resetRuntime();
  // One process serves every function, so every channel and the agents' room are wired.
  useChannels(EVERY_CHANNEL.channels);
  useAgentRoom(EVERY_CHANNEL.room);
  const { config, store } = runtime();
  await ensureTable(store.client, config.env.TABLE_NAME);
  runtime().brain; // load the model now, not on the first message

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      logger.error("local server failed", errorFields(error));
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "internal error" } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  // The handoff's scheduled job, as EventBridge runs it every minute in AWS.
  const jobs = setInterval(() => {
    agentRuntime(runtime())
      .runJobs()
      .catch((error: unknown) => logger.error("handoff jobs failed", errorFields(error)));
  }, 60_000);
  jobs.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/`,
    dynamodbEndpoint: endpoint,
    async close() {
      clearInterval(jobs);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      resetRuntime();
      await embedded?.close();
      restore("DYNAMODB_ENDPOINT", saved.endpoint);
      restore("TABLE_NAME", saved.table);
      running = false;
    },
  };
}

async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const found = matchRoute(request.method ?? "GET", path);
  if (!("route" in found)) {
    const status = found.methodMismatch ? 405 : 404;
    const message = status === 404 ? "no such route" : "method not allowed";
    send(response, status, { "content-type": "application/json" }, JSON.stringify({ error: { message } }));
    return;
  }
  const body = await readBody(request);
  if (!body) {
    send(response, 413, { "content-type": "application/json" }, '{"error":{"message":"request too large"}}');
    return;
  }
  await invoke(found.route, found.pathParameters, request, response, body);
}

async function invoke(
  route: Route,
  pathParameters: Record<string, string>,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) {
  const { handler } = await route.load();
  const event = toApiGatewayEvent(request, body, `${route.method} ${route.path}`);
  if (Object.keys(pathParameters).length > 0) event.pathParameters = pathParameters;
  const context = lambdaContext(route.functionName, randomUUID());
  const result = await handler(event, context, () => undefined);
  if (!result) throw new Error(`${route.functionName} returned nothing`);
  const mapped = fromApiGatewayResult(result);
  send(response, mapped.status, mapped.headers, mapped.body);
}

/** The whole body, or undefined once it passes the limit (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
) {
  response.writeHead(status, headers);
  response.end(body);
}

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
