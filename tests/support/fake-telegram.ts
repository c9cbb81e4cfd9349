import { JsonApiServer } from "./json-api-server.ts";

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
  private readonly http = new JsonApiServer(({ url, body }) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url);
    const method = match?.[2] ?? "";
    this.calls.push({ token: match?.[1] ?? "", method, body });
    return this.answer(method, body);
  });
  private nextMessageId = 1000;

  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
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
