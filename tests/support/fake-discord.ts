import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface DiscordCall {
  method: string;
  path: string;
  body: Record<string, unknown> | Record<string, unknown>[];
}

/**
 * A stand-in for the Discord REST API on 127.0.0.1 (`DISCORD_API_ROOT` = its `/api`): records every
 * call and answers as Discord does for DM channels, messages, interaction follow-ups and commands.
 * Users in `closedDms` cannot be messaged (error 50007).
 */
export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  readonly closedDms = new Set<string>();
  private server: Server | undefined;
  private ids = 9_000_000;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let text = "";
      request.on("data", (c: Buffer) => {
        text += c.toString();
      });
      request.on("end", () => {
        const path = (request.url ?? "").replace(/^\/api\/v10/, "");
        const body = text ? JSON.parse(text) : {};
        this.calls.push({ method: request.method ?? "", path, body });
        const { status, result } = this.answer(request.method ?? "", path, body);
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(result));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  clear(): void {
    this.calls.length = 0;
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
