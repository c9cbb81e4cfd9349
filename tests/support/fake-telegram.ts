import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  token: string;
  method: string;
  body: Record<string, unknown>;
}

/**
 * A stand-in for the Telegram Bot API on 127.0.0.1: records every call (token, method, JSON body)
 * and answers as Telegram does. `failNext` makes the next calls of a method answer with an error.
 */
export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, { code: number; retryAfter?: number; times: number }>();
  private server: Server | undefined;
  private nextMessageId = 1000;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? "");
        const token = match?.[1] ?? "";
        const method = match?.[2] ?? "";
        const text = Buffer.concat(chunks).toString("utf8");
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        this.calls.push({ token, method, body });
        const reply = this.answer(method, body);
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  failNext(method: string, code: number, times = 1, retryAfter?: number): void {
    this.failures.set(method, { code, times, ...(retryAfter !== undefined ? { retryAfter } : {}) });
  }

  /** Calls of one method since the last `clear()`. */
  of(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.body);
  }

  clear(): void {
    this.calls.length = 0;
  }

  private answer(method: string, body: Record<string, unknown>) {
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times--;
      const parameters = failure.retryAfter !== undefined ? { retry_after: failure.retryAfter } : undefined;
      return {
        status: failure.code,
        body: {
          ok: false,
          error_code: failure.code,
          description: "fake failure",
          ...(parameters ? { parameters } : {}),
        },
      };
    }
    const result =
      method === "sendMessage"
        ? {
            message_id: this.nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: body.chat_id, type: "private" },
            text: body.text,
          }
        : method === "createForumTopic"
          ? { message_thread_id: this.nextMessageId++, name: body.name, icon_color: 7322096 }
          : method === "getWebhookInfo"
            ? { url: "", has_custom_certificate: false, pending_update_count: 0 }
            : true;
    return { status: 200, body: { ok: true, result } };
  }
}
