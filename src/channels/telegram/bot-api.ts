import { ChannelApiError } from "../../errors.ts";

/**
 * The two Bot API methods the agents' group needs, over fetch: small enough that the functions which
 * only tell agents about a handoff do not load telegraf. The webhook channel itself uses telegraf.
 */
export interface GroupBotApi {
  createForumTopic(chatId: number, name: string): Promise<{ message_thread_id: number }>;
  sendMessage(chatId: number, text: string, extra: { message_thread_id: number }): Promise<unknown>;
}

export class BotApiError extends ChannelApiError {
  override name = "BotApiError";
  readonly retryAfter: number | undefined;

  constructor(method: string, status: number, description: string, retryAfter: number | undefined) {
    super("telegram", method, status, `Telegram answered ${status}: ${description}`);
    this.retryAfter = retryAfter;
  }
}

export class FetchBotApi implements GroupBotApi {
  constructor(
    private readonly token: string,
    private readonly apiRoot: string,
  ) {}

  createForumTopic(chatId: number, name: string): Promise<{ message_thread_id: number }> {
    return this.call("createForumTopic", { chat_id: chatId, name });
  }

  sendMessage(chatId: number, text: string, extra: { message_thread_id: number }): Promise<unknown> {
    return this.call("sendMessage", { chat_id: chatId, text, ...extra });
  }

  private async call<T>(method: string, payload: Record<string, unknown>): Promise<T> {
    // Concatenated, not resolved: the token's ":" would read as a URL scheme.
    const response = await fetch(`${this.apiRoot.replace(/\/$/, "")}/bot${this.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(8000),
    });
    const body = (await response.json()) as {
      ok: boolean;
      result?: T;
      description?: string;
      parameters?: { retry_after?: number };
    };
    if (!body.ok || body.result === undefined) {
      throw new BotApiError(
        method,
        response.status,
        body.description ?? "error",
        body.parameters?.retry_after,
      );
    }
    return body.result;
  }
}
