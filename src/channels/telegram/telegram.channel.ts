import { type Context, Telegraf } from "telegraf";
import type { Knowledge, MessageKey } from "../../core/content.ts";
import type { Locale } from "../../core/locale.ts";
import type { Reply } from "../../core/policy.ts";
import { render } from "../../core/render.ts";
import { ChannelApiError, UnauthorizedError } from "../../errors.ts";
import { type BotDependencies, handleInbound } from "../../handoff/inbound.ts";
import type { HttpResult } from "../../http/api-gateway.ts";
import { log } from "../../log.ts";
import { validate } from "../../validate.ts";
import type { ButtonSigner } from "../button-signer.ts";
import { secretMatches } from "../constant-time.ts";
import { isTransient } from "../transient.ts";
import {
  FORGET,
  type TelegramEvent,
  type TelegramOutgoing,
  telegramButtonSigner,
  telegramEvent,
  telegramMessages,
  telegramUserKey,
} from "./telegram.adapter.ts";
import { type TelegramMessage, telegramUpdateSchema } from "./telegram.schemas.ts";

export interface TelegramSettings {
  token: string;
  secret: string;
  apiRoot: string;
  /** The agents' forum group: its messages are agents acting, handled by `agentGroup`. */
  agentChatId?: number;
  agentGroup?: () => { handle(message: TelegramMessage): Promise<void> } | undefined;
  /**
   * A redelivered update is answered again only when its first handling is this old: Telegram
   * redelivers when it got no 2xx (so the first answer never arrived), while copies arriving
   * together are one delivery (answered once). Default: longer than a function's timeout.
   */
  replayAfterMs?: number;
}

/** Telegram's own limit is far lower; anything larger is not an update. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A 429 asking for a short wait is waited out once; a longer one makes Telegram redeliver instead. */
const MAX_RETRY_AFTER_S = 3;

/**
 * The Telegram channel: verifies the webhook, turns updates into inbound messages for the bot path,
 * and answers through telegraf. A single-message answer rides in the webhook response
 * (`{"method":"sendMessage",…}`), so the common path makes no outbound HTTP call; longer answers
 * send all but their last message first, keeping the order.
 */
export class TelegramChannel {
  private readonly bot: Telegraf;
  private readonly signer: ButtonSigner;

  constructor(
    private readonly settings: TelegramSettings,
    private readonly deps: BotDependencies,
  ) {
    this.signer = telegramButtonSigner(settings.secret);
    this.bot = new Telegraf(settings.token, { telegram: { apiRoot: settings.apiRoot, webhookReply: false } });
    // Preset, so a cold start makes no getMe call; the username is the registry's official bot.
    const official = deps.brain.knowledge.contacts.contacts.find((c) => c.platform === "telegram");
    this.bot.botInfo = {
      id: Number(settings.token.split(":")[0]),
      is_bot: true,
      first_name: deps.brain.knowledge.messages.brand.en,
      username: official?.value.replace(/^@/, "") ?? "guardline_bot",
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    this.bot.use((ctx) => this.handle(ctx, (ctx as Context & { webhook: WebhookResponse }).webhook));
    this.bot.catch((error) => {
      throw error;
    });
  }

  /** POST /webhooks/telegram: verify, then answer 200 for anything permanent (a poison update must not block the chat). */
  async webhook(headers: Record<string, string | undefined>, body: Buffer): Promise<HttpResult> {
    const secret = headers["x-telegram-bot-api-secret-token"] ?? headers["X-Telegram-Bot-Api-Secret-Token"];
    if (!secretMatches(secret, this.settings.secret)) throw new UnauthorizedError("bad secret token");
    if (body.length > MAX_BODY_BYTES) return this.drop("body too large");
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return this.drop("malformed JSON");
    }
    let update: ReturnType<typeof telegramUpdateSchema.parse>;
    try {
      update = validate(telegramUpdateSchema, json, "update");
    } catch {
      return this.drop("not an Update");
    }
    const webhook = new WebhookResponse();
    (this.bot.context as { webhook?: WebhookResponse }).webhook = webhook;
    try {
      await this.bot.handleUpdate(update as never, webhook as never);
    } catch (error) {
      if (isTransient(error)) throw error;
      log("error", "telegram update failed", { updateId: update.update_id, errorName: errorName(error) });
    }
    return webhook.result();
  }

  private drop(reason: string): HttpResult {
    log("warn", "telegram update dropped", { reason });
    return { statusCode: 200, body: "" };
  }

  private async handle(ctx: Context, webhook: WebhookResponse): Promise<void> {
    const message = (ctx.update as { message?: TelegramMessage }).message;
    if (message && this.settings.agentChatId !== undefined && message.chat.id === this.settings.agentChatId) {
      log("info", "telegram update", { updateId: ctx.update.update_id, kind: "agent-group" });
      await this.settings.agentGroup?.()?.handle(message);
      return;
    }
    const event = telegramEvent(ctx.update as never, this.signer);
    log("info", "telegram update", { updateId: ctx.update.update_id, kind: event.kind });
    switch (event.kind) {
      case "ignore":
        return;
      case "unsupported":
        return this.deliver(ctx, webhook, event.chatId, [await this.notice(event, "unsupportedMessage")]);
      case "expired": {
        const { callbackId } = event;
        await this.call(() => ctx.telegram.answerCbQuery(callbackId));
        return this.deliver(ctx, webhook, event.chatId, [await this.notice(event, "expiredButton")]);
      }
      case "forget":
        return this.forget(ctx, webhook, event);
      case "inbound": {
        const outcome = await handleInbound(this.deps, event.message);
        const { callbackId } = event;
        const age = Date.now() - Date.parse(outcome.at);
        if (outcome.duplicate && age < (this.settings.replayAfterMs ?? 15_000)) {
          log("info", "telegram duplicate not answered again", { updateId: ctx.update.update_id });
          return;
        }
        if (callbackId) await this.call(() => ctx.telegram.answerCbQuery(callbackId));
        return this.deliver(ctx, webhook, event.chatId, outcome.replies);
      }
    }
  }

  private async forget(
    ctx: Context,
    webhook: WebhookResponse,
    event: Extract<TelegramEvent, { kind: "forget" }>,
  ) {
    const { callbackId } = event;
    if (callbackId) await this.call(() => ctx.telegram.answerCbQuery(callbackId));
    const locale = await this.localeOf(event);
    const say = (key: MessageKey) => this.say(locale, key);
    if (event.step === "ask") {
      const buttons = [
        { id: FORGET.confirm, label: say("forgetYesButton") },
        { id: FORGET.cancel, label: say("forgetNoButton") },
      ];
      return this.deliver(ctx, webhook, event.chatId, [{ text: say("forgetConfirm"), buttons }]);
    }
    if (event.step === "confirm") {
      const deleted = await this.deps.store.forgetUser(telegramUserKey(event.chatId));
      log("info", "telegram conversation forgotten", { items: deleted });
      return this.deliver(ctx, webhook, event.chatId, [{ text: say("forgetDone") }]);
    }
    return this.deliver(ctx, webhook, event.chatId, [{ text: say("forgetCancelled") }]);
  }

  /** Sends the replies in order: all but the last over HTTP, the last in the webhook response. */
  private async deliver(ctx: Context, webhook: WebhookResponse, chatId: number, replies: Reply[]) {
    const payloads = replies.flatMap((r) => telegramMessages(r, chatId, this.signer));
    const last = payloads.pop();
    for (const payload of payloads) {
      await this.call(() => ctx.telegram.sendMessage(chatId, payload.text, extra(payload)));
    }
    if (last) webhook.reply({ method: "sendMessage", chat_id: chatId, ...last });
  }

  /** One Bot API call; a short 429 is waited out once, anything else is a ChannelApiError. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const { code, retryAfter } = telegramError(error);
        if (code === 429 && retryAfter !== undefined && retryAfter <= MAX_RETRY_AFTER_S && attempt === 1) {
          await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
          continue;
        }
        throw new ChannelApiError(
          "telegram",
          "bot api",
          code ?? 0,
          `Telegram answered ${code ?? "nothing"}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  private async notice(
    event: { chatId: number; locale?: Locale | undefined },
    key: MessageKey,
  ): Promise<Reply> {
    return { text: this.say(await this.localeOf(event), key) };
  }

  /** The conversation's language if there is one, else the user's Telegram language, else Simplified Chinese. */
  private async localeOf(event: { chatId: number; locale?: Locale | undefined }): Promise<Locale> {
    const { current } = await this.deps.store.loadHead(telegramUserKey(event.chatId));
    return current?.language ?? event.locale ?? "zh-Hans";
  }

  private say(locale: Locale, key: MessageKey): string {
    const knowledge: Knowledge = this.deps.brain.knowledge;
    return render(knowledge.messages[key][locale], knowledge, locale);
  }
}

function extra(payload: TelegramOutgoing) {
  return payload.reply_markup ? { reply_markup: payload.reply_markup } : {};
}

function telegramError(error: unknown): { code?: number; retryAfter?: number } {
  const e = error as { code?: unknown; parameters?: { retry_after?: unknown } };
  const code = typeof e?.code === "number" ? e.code : undefined;
  const retryAfter = typeof e?.parameters?.retry_after === "number" ? e.parameters.retry_after : undefined;
  return { ...(code !== undefined ? { code } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * What telegraf sees as the webhook's HTTP response, and what the handler returns to API Gateway:
 * at most one Bot API method rides in it.
 */
class WebhookResponse {
  writableEnded = false;
  headersSent = false;
  private body = "";

  setHeader(): void {}

  on(): this {
    return this;
  }

  end(chunk?: string): void {
    if (chunk && !this.writableEnded) this.body = chunk;
    this.writableEnded = true;
  }

  reply(method: Record<string, unknown>): void {
    this.end(JSON.stringify(method));
  }

  result(): HttpResult {
    return this.body
      ? { statusCode: 200, headers: { "content-type": "application/json" }, body: this.body }
      : { statusCode: 200, body: "" };
  }
}
