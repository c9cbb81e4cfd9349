import { FORGET, type ForgetStep } from "../channels/forget.ts";
import type { Knowledge, MessageKey } from "../core/content.ts";
import type { Locale } from "../core/locale.ts";
import type { Reply } from "../core/policy.ts";
import { render } from "../core/render.ts";
import { logger } from "../log.ts";
import type { ConversationStore } from "../store/conversation-store.ts";

/**
 * The dialogue pieces every channel shares, written once: the language to answer in outside the bot
 * path, a message in that language, and the "forget me" confirmation.
 */

/** The conversation's language if there is one, else the platform's hint, else Simplified Chinese. */
export async function languageOf(
  store: ConversationStore,
  userKey: string,
  hint: Locale | undefined,
): Promise<Locale> {
  const { current } = await store.loadHead(userKey);
  return current?.language ?? hint ?? "zh-Hans";
}

/** One of the dialogue's own strings (content/messages.yaml), rendered in `locale`. */
export function say(knowledge: Knowledge, locale: Locale, key: MessageKey): string {
  return render(knowledge.messages[key][locale], knowledge, locale);
}

/**
 * "Forget me": asked first with two buttons (signed by the channel like any other), and only the
 * confirmation deletes the user's stored conversations.
 */
export async function forgetDialogue(
  store: ConversationStore,
  knowledge: Knowledge,
  userKey: string,
  step: ForgetStep,
  locale: Locale,
): Promise<Reply> {
  const text = (key: MessageKey) => say(knowledge, locale, key);
  if (step === "ask") {
    const buttons = [
      { id: FORGET.confirm, label: text("forgetYesButton") },
      { id: FORGET.cancel, label: text("forgetNoButton") },
    ];
    return { text: text("forgetConfirm"), buttons };
  }
  if (step === "confirm") {
    const deleted = await store.forgetUser(userKey);
    logger.info("conversation forgotten", { channel: userKey.split(":")[0], items: deleted });
    return { text: text("forgetDone") };
  }
  return { text: text("forgetCancelled") };
}
