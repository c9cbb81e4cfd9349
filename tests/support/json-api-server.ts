import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body ({} when empty). */
  // biome-ignore lint/suspicious/noExplicitAny: platform API JSON that fakes and tests read freely
  body: any;
}

export interface ApiReply {
  status: number;
  /** Sent as JSON; no body when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The HTTP part of every platform stand-in in these tests: a server on 127.0.0.1 that reads each
 * request whole, parses its JSON body and sends what `answer` returns.
 */
export class JsonApiServer {
  private server: Server | undefined;

  constructor(private readonly answer: (request: ApiRequest) => ApiReply) {}

  /** Starts listening on a free port; returns `http://127.0.0.1:<port>`. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const reply = this.answer({
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: text ? JSON.parse(text) : {},
        });
        const json = reply.body === undefined ? {} : { "content-type": "application/json" };
        response.writeHead(reply.status, { ...json, ...reply.headers });
        response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
