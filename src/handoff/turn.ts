import { isTransient } from "../channels/transient.ts";
import type {
  Answer,
  AnswerableEvent,
  ChannelAdapter,
  ChannelEvent,
  ChannelRequest,
  ChannelResponse,
  Exchange,
} from "../channels/types.ts";
import type { MessageKey } from "../core/content.ts";
import type { Locale } from "../core/locale.ts";
import { correlate, errorFields, logger } from "../log.ts";
import { forgetDialogue, languageOf, say } from "./dialogue.ts";
import { type BotDependencies, handleInbound } from "./inbound.ts";

/**
 * The turn, composed once for every channel: the adapter verifies and parses the request into
 * events; each event is answered here (the bot path, the forget dialogue, a notice) in the
 * conversation's language; the adapter renders and sends the answers. After verification, on a
 * platform that redelivers, a permanent failure is logged and answered 200 so a poison message
 * cannot block the chat; a transient one fails the request and the redelivery replays the stored turn.
 */
export async function serveChannel<To>(
  adapter: ChannelAdapter<To>,
  bot: BotDependencies,
  request: ChannelRequest,
): Promise<ChannelResponse> {
  const received = await adapter.receive(request);
  if ("response" in received) return received.response;
  return answerAll(adapter, bot, received.events, adapter.exchange());
}

/** The later invocation of a platform that finishes answers asynchronously (Discord's follow-ups). */
export async function resumeChannel<To>(
  adapter: ChannelAdapter<To>,
  bot: BotDependencies,
  payload: unknown,
): Promise<boolean> {
  const resumed = adapter.resume?.(payload);
  if (!resumed) return false;
  await answerAll(adapter, bot, resumed.events, resumed.exchange);
  return true;
}

async function answerAll<To>(
  adapter: ChannelAdapter<To>,
  bot: BotDependencies,
  events: ChannelEvent<To>[],
  exchange: Exchange<To>,
): Promise<ChannelResponse> {
  for (const event of events) {
    if (event.kind === "ignore") continue;
    // The platform's id of the update, interaction or message: on every line about this event.
    if (event.kind === "inbound" && event.message.eventId) correlate(event.message.eventId);
    try {
      await exchange.reply(event, () => answer(adapter, bot, event));
    } catch (error) {
      if (!adapter.limits.redelivers || isTransient(error)) throw error;
      logger.error("channel event failed", {
        channel: adapter.name,
        kind: event.kind,
        ...(event.kind === "inbound" && event.message.eventId ? { eventId: event.message.eventId } : {}),
        ...errorFields(error),
      });
    }
  }
  return exchange.finish();
}

/** The bot's answer to one event, or undefined for a duplicate answered moments ago. */
export async function answer<To>(
  adapter: Pick<ChannelAdapter<To>, "name" | "limits">,
  bot: BotDependencies,
  event: AnswerableEvent<To>,
): Promise<Answer | undefined> {
  const { knowledge } = bot.brain;
  const inLanguage = (language: Locale, replies: Answer["replies"]): Answer => ({
    replies,
    language,
    say: (key: MessageKey) => say(knowledge, language, key),
  });
  if (event.kind === "inbound") {
    const outcome = await handleInbound(bot, event.message);
    const { replayAfterMs } = adapter.limits;
    if (
      outcome.duplicate &&
      replayAfterMs !== undefined &&
      Date.now() - Date.parse(outcome.at) < replayAfterMs
    ) {
      logger.info("duplicate not answered again", {
        channel: adapter.name,
        ...(event.message.eventId ? { eventId: event.message.eventId } : {}),
      });
      return undefined;
    }
    return {
      ...inLanguage(outcome.language, outcome.replies),
      turn: {
        conversationId: outcome.conversationId,
        status: outcome.status,
        ...(outcome.message ? { message: outcome.message } : {}),
      },
    };
  }
  const language = await languageOf(bot.store, event.userKey, event.localeHint);
  switch (event.kind) {
    case "forget":
      return inLanguage(language, [
        await forgetDialogue(bot.store, knowledge, event.userKey, event.step, language),
      ]);
    case "notice":
      return inLanguage(language, [{ text: say(knowledge, language, event.notice) }]);
    case "prompt":
      return inLanguage(language, []);
  }
}
