import type { Telegram } from "telegraf";
import { ChannelApiError } from "../../errors.ts";
import { logger } from "../../log.ts";

/** What Telegram said went wrong; keeps the method and status, never the token. */
export class TelegramApiError extends ChannelApiError {
  override name = "TelegramApiError";
  readonly retryAfter: number | undefined;

  constructor(
    method: string,
    status: number,
    retryAfter: number | undefined,
    description: string | undefined,
    options?: ErrorOptions,
  ) {
    // Telegram's description says what was wrong with the request; it never holds the token.
    super(
      "telegram",
      method,
      status,
      `Telegram answered ${status || "nothing"}${description ? `: ${description}` : ""}`,
      options,
    );
    this.retryAfter = retryAfter;
  }
}

const TIMEOUT_MS = 8000;
type CallOptions = NonNullable<Parameters<Telegram["callApi"]>[2]>;

/** The updates the webhook handles; everything else Telegram need not send. */
export const TELEGRAM_ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/**
 * The one Telegram client: telegraf's Bot API client, for the webhook's answers, agents' replies and
 * the agents' group. Every call goes through `call`, which waits out a short 429 once.
 */
export class TelegramApi {
  /** telegraf loads on the first call: most webhook answers ride in the response and need no client. */
  private client: Promise<Telegram> | undefined;

  /**
   * `maxRetryAfterS`: the longest 429 wait worth taking; every call runs inside somebody's request
   * (a webhook, an agent's action, a user's handoff), so the wait stays short.
   */
  constructor(
    private readonly token: string,
    private readonly apiRoot: string,
    private readonly maxRetryAfterS = 3,
  ) {}

  sendMessage(
    chatId: number,
    text: string,
    extra: { reply_markup?: InlineKeyboard; message_thread_id?: number } = {},
  ): Promise<unknown> {
    return this.call("sendMessage", (telegram, options) =>
      telegram.callApi("sendMessage", { chat_id: chatId, text, ...extra }, options),
    );
  }

  answerCallbackQuery(callbackId: string): Promise<unknown> {
    return this.call("answerCallbackQuery", (telegram, options) =>
      telegram.callApi("answerCallbackQuery", { callback_query_id: callbackId }, options),
    );
  }

  createForumTopic(chatId: number, name: string): Promise<{ message_thread_id: number }> {
    return this.call("createForumTopic", (telegram, options) =>
      telegram.callApi("createForumTopic", { chat_id: chatId, name }, options),
    );
  }

  /** Registers the webhook with its secret token and the update types Guardline handles. */
  setWebhook(url: string, secretToken: string, dropPendingUpdates: boolean): Promise<true> {
    return this.call("setWebhook", (telegram, options) =>
      telegram.callApi(
        "setWebhook",
        {
          url,
          secret_token: secretToken,
          allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          drop_pending_updates: dropPendingUpdates,
        },
        options,
      ),
    );
  }

  getWebhookInfo(): Promise<unknown> {
    return this.call("getWebhookInfo", (telegram, options) =>
      telegram.callApi("getWebhookInfo", {}, options),
    );
  }

  /** Each attempt gives up after TIMEOUT_MS (telegraf's own default is minutes, past any Lambda timeout). */
  private async call<T>(
    method: string,
    send: (telegram: Telegram, options: CallOptions) => Promise<T>,
  ): Promise<T> {
    this.client ??= import("telegraf").then(
      ({ Telegram }) => new Telegram(this.token, { apiRoot: this.apiRoot }),
    );
    const telegram = await this.client;
    for (let attempt = 1; ; attempt++) {
      try {
        // node-fetch (telegraf's HTTP client) takes the platform's AbortSignal; its types name a polyfill.
        return await send(telegram, { signal: AbortSignal.timeout(TIMEOUT_MS) } as unknown as CallOptions);
      } catch (error) {
        const { code, retryAfter } = telegramError(error);
        if (code === 429 && retryAfter !== undefined && retryAfter <= this.maxRetryAfterS && attempt === 1) {
          logger.warn("telegram rate-limited", { method, retryAfter });
          await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
          continue;
        }
        const description = (error as { description?: unknown }).description;
        throw new TelegramApiError(
          method,
          code ?? 0,
          retryAfter,
          typeof description === "string" ? description : undefined,
          {
            cause: error,
          },
        );
      }
    }
  }
}

function telegramError(error: unknown): { code?: number; retryAfter?: number } {
  const e = error as { code?: unknown; parameters?: { retry_after?: unknown } };
  const code = typeof e?.code === "number" ? e.code : undefined;
  const retryAfter = typeof e?.parameters?.retry_after === "number" ? e.parameters.retry_after : undefined;
  return { ...(code !== undefined ? { code } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}
