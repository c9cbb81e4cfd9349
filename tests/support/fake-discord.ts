import { JsonApiServer } from "./json-api-server.ts";

export interface DiscordCall {
  method: string;
  path: string;
  body: Record<string, unknown> | Record<string, unknown>[];
}

/**
 * A stand-in for the Discord REST API on 127.0.0.1 (`DISCORD_API_ROOT` = its `/api`): records every
 * call and answers as Discord does for DM channels, messages, interaction follow-ups and commands.
 * Users in `closedDms` cannot be messaged (error 50007); `failNext` makes the next matching calls
 * fail with a server error (recorded, like every call).
 */
export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  readonly closedDms = new Set<string>();
  private failures: { method: string; path: RegExp; after: number; times: number }[] = [];
  private readonly http = new JsonApiServer(({ method, url, body }) => {
    const path = url.replace(/^\/api\/v10/, "");
    this.calls.push({ method, path, body });
    const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (failure && failure.after > 0) failure.after--;
    else if (failure) {
      failure.times--;
      return { status: 503, body: { message: "Service Unavailable", code: 0 } };
    }
    const { status, result } = this.answer(method, path, body);
    return { status, body: result };
  });
  private ids = 9_000_000;

  /** Starts the fake; returns the value for `DISCORD_API_ROOT`. */
  async start(): Promise<string> {
    return `${await this.http.start()}/api`;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  clear(): void {
    this.calls.length = 0;
    this.failures = [];
  }

  /** After `after` calls with this method and a path matching `path` succeed, the next `times` answer 503. */
  failNext(method: string, path: RegExp, times: number, after = 0): void {
    this.failures.push({ method, path, after, times });
  }

  private answer(method: string, path: string, body: Record<string, unknown>) {
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String(body.recipient_id);
      if (this.closedDms.has(recipient)) {
        return { status: 403, result: { code: 50007, message: "Cannot send messages to this user" } };
      }
      return { status: 200, result: { id: `${recipient}0`, type: 1 } };
    }
    if (method === "PUT" && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      return { status: 200, result: body };
    }
    return { status: 200, result: { id: String(this.ids++), ...body } };
  }
}
