import { UnauthorizedError } from "../../errors.ts";
import { errorFields, logger } from "../../log.ts";
import type { ButtonSigner } from "../button-signer.ts";
import { secretMatches } from "../constant-time.ts";
import { addressed } from "../events.ts";
import { splitText } from "../split-text.ts";
import { isTransient } from "../transient.ts";
import type {
  Answer,
  AnswerableEvent,
  ChannelAdapter,
  ChannelEvent,
  ChannelLimits,
  ChannelRequest,
  ChannelResponse,
  Exchange,
  Recipient,
} from "../types.ts";
import {
  TELEGRAM_TEXT_LIMIT,
  type TelegramEvent,
  type TelegramOutgoing,
  telegramButtonSigner,
  telegramEvent,
  telegramMessages,
  telegramUserKey,
} from "./telegram.adapter.ts";
import type { TelegramApi } from "./telegram.api.ts";
import { type TelegramMessage, telegramUpdateSchema } from "./telegram.schemas.ts";

export interface TelegramSettings {
  secret: string;
  /** The agents' forum group: its messages are agents acting, handled by `agentGroup`. */
  agentChatId?: number;
  agentGroup?: () => Promise<{ handle(message: TelegramMessage): Promise<void> } | undefined>;
  /** See ChannelLimits.replayAfterMs; default: longer than a function's timeout. */
  replayAfterMs?: number;
}

/** Where an answer goes: the private chat, and the button press to acknowledge first. */
export interface TelegramTo {
  chatId: number;
  callbackId?: string;
}

/** Telegram's own limit is far lower; anything larger is not an update. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Telegram channel: verifies the webhook's secret header, turns updates into events, and answers
 * through the one Telegram client. A single-message answer rides in the webhook response
 * (`{"method":"sendMessage",…}`), so the common path makes no outbound HTTP call; longer answers
 * send all but their last message first, keeping the order.
 */
export class TelegramChannel implements ChannelAdapter<TelegramTo> {
  readonly name = "telegram";
  readonly limits: ChannelLimits;
  private readonly signer: ButtonSigner;

  constructor(
    private readonly settings: TelegramSettings,
    private readonly api: TelegramApi,
  ) {
    this.signer = telegramButtonSigner(settings.secret);
    this.limits = {
      redelivers: true,
      replayAfterMs: settings.replayAfterMs ?? 15_000,
    };
  }

  /** Verify the secret header first; after that, anything unreadable is answered 200 and dropped. */
  async receive(request: ChannelRequest) {
    const secret =
      request.headers["x-telegram-bot-api-secret-token"] ??
      request.headers["X-Telegram-Bot-Api-Secret-Token"];
    if (!secretMatches(secret, this.settings.secret)) throw new UnauthorizedError("bad secret token");
    if (request.body.length > MAX_BODY_BYTES) return drop("body too large");
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString("utf8"));
    } catch {
      return drop("malformed JSON");
    }
    const update = telegramUpdateSchema.safeParse(json);
    if (!update.success) return drop("not an Update");
    const message = update.data.message;
    const { agentChatId } = this.settings;
    if (message && agentChatId !== undefined && message.chat.id === agentChatId) {
      logger.info("telegram update", { updateId: update.data.update_id, kind: "agent-group" });
      try {
        await (await this.settings.agentGroup?.())?.handle(message);
      } catch (error) {
        // As for users' updates: a permanent failure must not make Telegram redeliver (and act) again.
        if (isTransient(error)) throw error;
        logger.error("telegram update failed", {
          updateId: update.data.update_id,
          kind: "agent-group",
          ...errorFields(error),
        });
      }
      return { events: [] };
    }
    const event = telegramEvent(update.data, this.signer);
    logger.info("telegram update", { updateId: update.data.update_id, kind: event.kind });
    return { events: [channelEvent(event)] };
  }

  exchange(): Exchange<TelegramTo> {
    return new TelegramExchange(this.api, this.signer);
  }

  /** An agent's reply in the user's private chat, split within Telegram's limit. */
  async deliver(to: Recipient, text: string): Promise<void> {
    const chatId = Number(to.userKey.slice("telegram:".length));
    for (const part of splitText(text, TELEGRAM_TEXT_LIMIT)) await this.api.sendMessage(chatId, part);
  }
}

function drop(reason: string) {
  logger.warn("telegram update dropped", { reason });
  return { response: { statusCode: 200, body: "" } };
}

function channelEvent(event: TelegramEvent): ChannelEvent<TelegramTo> {
  if (event.kind === "ignore") return event;
  const to: TelegramTo = {
    chatId: event.chatId,
    ...("callbackId" in event && event.callbackId ? { callbackId: event.callbackId } : {}),
  };
  return addressed(event, to, telegramUserKey(event.chatId));
}

/** One update's answer: button presses acknowledged, all but the last message sent, the last in the response. */
class TelegramExchange implements Exchange<TelegramTo> {
  private last: { chatId: number; payload: TelegramOutgoing } | undefined;

  constructor(
    private readonly api: TelegramApi,
    private readonly signer: ButtonSigner,
  ) {}

  async reply(event: AnswerableEvent<TelegramTo>, answer: () => Promise<Answer | undefined>): Promise<void> {
    const { chatId, callbackId } = event.to;
    // A press on a notice or the forget question is acknowledged at once; one that runs the bot
    // path only once its turn is stored (a duplicate arriving meanwhile is not acknowledged twice).
    const early = callbackId !== undefined && event.kind !== "inbound";
    if (early) await this.api.answerCallbackQuery(callbackId);
    const result = await answer();
    if (!result) return;
    if (callbackId && !early) await this.api.answerCallbackQuery(callbackId);
    const payloads = result.replies.flatMap((r) => telegramMessages(r, chatId, this.signer));
    const last = payloads.pop();
    if (this.last && last) await this.send(this.last.chatId, this.last.payload);
    for (const payload of payloads) await this.send(chatId, payload);
    if (last) this.last = { chatId, payload: last };
  }

  private send(chatId: number, payload: TelegramOutgoing): Promise<unknown> {
    const extra = payload.reply_markup ? { reply_markup: payload.reply_markup } : {};
    return this.api.sendMessage(chatId, payload.text, extra);
  }

  finish(): ChannelResponse {
    if (!this.last) return { statusCode: 200, body: "" };
    const body = JSON.stringify({ method: "sendMessage", chat_id: this.last.chatId, ...this.last.payload });
    return { statusCode: 200, headers: { "content-type": "application/json" }, body };
  }
}
