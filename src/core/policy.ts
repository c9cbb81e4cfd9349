import type { Classification, Ranking } from "./classifier.ts";
import type { Knowledge, MessageKey } from "./content.ts";
import { type IntentId, isIntentId } from "./intents.ts";
import { detectLanguage } from "./language.ts";
import type { Locale } from "./locale.ts";
import { render } from "./render.ts";
import type { Action, Button, Reply } from "./reply.ts";
import { protect, secretWarning } from "./safety/protect.ts";
import { redactSecrets, type SecretKind } from "./safety/secrets.ts";
import type { Verdict } from "./safety/verify.ts";

export type { Action, Button, HandoffReason, Reply } from "./reply.ts";

/** What the bot remembers about a conversation between messages. */
export interface DialogueState {
  /** The conversation's language: kept unless the user clearly switches. */
  locale: Locale;
  /** Consecutive turns the bot could not answer (low confidence, out of scope, "did not help"). */
  misses: number;
  lastIntent?: IntentId;
  /**
   * User turns for which a contact the user reported (not in the registry) still colours what they
   * say: scam cues are read with it ("they said to connect my wallet"). Absent when none.
   */
  suspectTurns?: number;
}

/** How many later text turns a reported lookalike or unlisted contact keeps scam cues in context. */
export const SUSPECT_CONTACT_TURNS = 3;

/** Intents of a message about a contact the user found or was sent (not their own details). */
const ABOUT_A_CONTACT = new Set<string>(["verify_contact", "scam_report"]);

export type Inbound =
  | {
      type: "text";
      text: string;
      localeHint?: Locale;
      /** Secrets already removed from `text` by the caller; when absent, decide() looks itself. */
      secrets?: SecretKind[];
    }
  | { type: "button"; buttonId: string; localeHint?: Locale };

export interface Decision {
  actions: Action[];
  state: DialogueState;
  /** What the text was understood as, in the conversation's language (absent for button presses). */
  classification?: Classification;
  /** The user's text as it may be stored and shown: secrets replaced (absent for button presses). */
  storedText?: string;
  /** What the turn amounted to, for insights (src/core/insights.ts): no text in here. */
  signals: TurnSignals;
}

/** What a turn amounted to: an answer, a miss, a clarifying question, an offer of a human… */
export interface TurnSignals {
  /** The FAQ answer given (an intent id). */
  answered?: IntentId;
  clarified?: true;
  outOfScope?: true;
  /** The bot could not answer the text (low confidence or out of scope). */
  miss?: true;
  offeredHuman?: true;
  /** A human was asked for after at least `missesBeforeHuman` misses in a row. */
  afterMisses?: true;
  /** Contacts checked against the registry, by verdict. */
  contacts?: Partial<Record<Verdict, number>>;
}

export interface PolicyContext {
  knowledge: Knowledge;
  /** Ranks intents for a text (IntentClassifier.rank); the policy picks the language itself. */
  rank: (text: string) => Ranking;
  options?: Partial<PolicyOptions>;
}

export interface PolicyOptions {
  /** Below this confidence the bot asks which of the two likeliest topics was meant. */
  answerThreshold: number;
  /** After this many misses in a row the bot offers a human. */
  missesBeforeHuman: number;
  /**
   * How clear a switch must be: Han characters (from English), script-specific characters (between
   * the two Chinese scripts), or more than this many English words (to English, since Chinese users
   * often write a few English words).
   */
  switchEvidence: number;
}

export const DEFAULT_POLICY: PolicyOptions = {
  answerThreshold: 0.5,
  missesBeforeHuman: 2,
  switchEvidence: 2,
};

/** Button ids: short and plain, within Telegram's 64-byte callback_data. */
export const BUTTON = {
  topic: (intent: IntentId) => `t:${intent}`,
  helpful: (intent: IntentId) => `fb:y:${intent}`,
  notHelpful: (intent: IntentId) => `fb:n:${intent}`,
  human: "human",
  keepBot: "bot",
  other: "other",
  menu: "menu",
} as const;

/** Intents whose answer a protection reply already gives (or that would only add noise to it). */
const COVERED_BY_PROTECTION = new Set<string>([
  "out_of_scope",
  "verify_contact",
  "contact_support",
  "greeting",
]);

/** Intents that are never offered as a clarification choice: they are not topics. */
const NOT_TOPICS = new Set<string>(["out_of_scope", "greeting", "thanks_bye"]);

/**
 * The dialogue policy: a pure function from (state, inbound message) to (actions, new state).
 * No I/O; the caller stores the state, sends the replies and performs handoffs.
 */
export function decide(state: DialogueState | undefined, inbound: Inbound, context: PolicyContext): Decision {
  const options = { ...DEFAULT_POLICY, ...context.options };
  const turn = new Turn(context.knowledge, options);
  if (inbound.type === "button") {
    const locale = state?.locale ?? inbound.localeHint ?? "zh-Hans";
    return turn.button(state ?? { locale, misses: 0 }, inbound.buttonId);
  }
  const { text, kinds } = inbound.secrets
    ? { text: inbound.text, kinds: inbound.secrets }
    : redactSecrets(inbound.text);
  const locale = chooseLocale(state, text, inbound.localeHint, options.switchEvidence);
  const classification: Classification = { ...context.rank(text), language: locale };
  const current: DialogueState = { ...(state ?? { misses: 0 }), locale };
  const answer = turn.text(current, classification);
  const feedback = turn.feedbackButtons(current, "verify_contact");
  const afterSuspectContact = (state?.suspectTurns ?? 0) > 0;
  const aboutContact = ABOUT_A_CONTACT.has(classification.intent);
  const {
    actions: protections,
    suspectContact,
    verdicts,
  } = protect(text, kinds, locale, context.knowledge, feedback, {
    afterSuspectContact,
    aboutContact,
  });
  const decision =
    protections.length > 0 ? turn.protected(current, classification, answer, protections) : answer;
  const suspectTurns = suspectContact ? SUSPECT_CONTACT_TURNS : (state?.suspectTurns ?? 0) - 1;
  const { suspectTurns: _, ...rest } = decision.state;
  const next: DialogueState = suspectTurns > 0 ? { ...rest, suspectTurns } : rest;
  const contacts = verdicts.length > 0 ? { contacts: countVerdicts(verdicts) } : {};
  return {
    ...decision,
    state: next,
    classification,
    storedText: text,
    signals: { ...decision.signals, ...contacts },
  };
}

function countVerdicts(verdicts: readonly Verdict[]): Partial<Record<Verdict, number>> {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const verdict of verdicts) counts[verdict] = (counts[verdict] ?? 0) + 1;
  return counts;
}

/** The warning a message with secrets gets even while an agent holds the conversation. */
export function secretWarningReply(
  kinds: readonly SecretKind[],
  locale: Locale,
  knowledge: Knowledge,
): Reply {
  const action = secretWarning(kinds, locale, knowledge);
  if (action.type !== "reply") throw new TypeError("a secret warning is a reply");
  return action.reply;
}

/**
 * The language rule of product.md §4: a conversation keeps its language unless the user clearly
 * switches. A first message decides by itself, except that text with no script-specific characters
 * ("你好") takes its script from the platform's hint, and a lone English word ("ok", "hi"), which
 * Chinese speakers write too, does not outweigh a Chinese hint.
 */
export function chooseLocale(
  state: DialogueState | undefined,
  text: string,
  hint: Locale | undefined,
  switchEvidence = DEFAULT_POLICY.switchEvidence,
): Locale {
  const guess = detectLanguage(text, state?.locale ?? hint ?? "zh-Hans");
  if (!state) {
    const weakEnglish = guess.locale === "en" && guess.evidence < 2 && hint !== undefined && hint !== "en";
    return guess.evidence > 0 && !weakEnglish ? guess.locale : (hint ?? guess.locale);
  }
  if (guess.locale === state.locale) return state.locale;
  if (guess.locale === "en") return guess.evidence > switchEvidence ? "en" : state.locale;
  if (state.locale === "en") return guess.evidence >= switchEvidence ? guess.locale : state.locale;
  return guess.scriptEvidence >= switchEvidence ? guess.locale : state.locale;
}

class Turn {
  constructor(
    private readonly knowledge: Knowledge,
    private readonly options: PolicyOptions,
  ) {}

  text(state: DialogueState, c: Ranking): Decision {
    if (!isIntentId(c.intent) || c.confidence < this.options.answerThreshold) return this.miss(state, c);
    if (c.intent === "out_of_scope") return this.miss(state, c);
    return this.intent(state, c.intent);
  }

  /**
   * A message that needed protecting (secret, scam signal, pasted contact): the protections first,
   * then the FAQ answer only if it is confident and says something they do not already say.
   */
  protected(state: DialogueState, c: Ranking, answer: Decision, protections: Action[]): Decision {
    const handoffGiven = protections.some((a) => a.type === "handoff");
    const confident = isIntentId(c.intent) && c.confidence >= this.options.answerThreshold;
    const covered = COVERED_BY_PROTECTION.has(c.intent) || (handoffGiven && c.intent === "scam_report");
    if (!confident || covered) return this.say({ ...state, misses: 0 }, protections);
    const extra = answer.actions.filter((a) => !(handoffGiven && a.type === "handoff"));
    return this.say(answer.state, [...protections, ...extra], answer.signals);
  }

  feedbackButtons(state: DialogueState, intent: IntentId): Button[] {
    return [
      this.labelledButton(state, BUTTON.helpful(intent), "feedbackYesButton"),
      this.labelledButton(state, BUTTON.notHelpful(intent), "feedbackNoButton"),
    ];
  }

  button(state: DialogueState, id: string): Decision {
    const [kind, arg, intent] = id.split(":");
    if (kind === "t" && isIntentId(arg) && intent === undefined) return this.intent(state, arg);
    if (kind === "fb" && (arg === "y" || arg === "n") && isIntentId(intent)) {
      const helpful = arg === "y";
      const feedback: Action = { type: "feedback", intent, helpful };
      if (helpful) return this.say({ ...state, misses: 0 }, [feedback, this.reply(state, "feedbackYes")]);
      const buttons = [
        this.labelledButton(state, BUTTON.human, "humanButton"),
        this.labelledButton(state, BUTTON.menu, "menuButton"),
      ];
      return this.say({ ...state, misses: state.misses + 1 }, [
        feedback,
        this.reply(state, "feedbackNo", buttons),
      ]);
    }
    if (id === BUTTON.human) {
      const asked = this.intent(state, "human_agent");
      const afterMisses = state.misses >= this.options.missesBeforeHuman;
      return afterMisses ? { ...asked, signals: { ...asked.signals, afterMisses: true } } : asked;
    }
    if (id === BUTTON.keepBot) return this.say({ ...state, misses: 0 }, [this.reply(state, "rephrase")]);
    if (id === BUTTON.other) return this.say(state, [this.reply(state, "rephrase")]);
    if (id === BUTTON.menu) return this.menu(state, "menuIntro");
    return this.menu(state, "unknownButton");
  }

  /** Answers a known intent: the FAQ answer, plus whatever the intent implies. */
  private intent(state: DialogueState, intent: IntentId): Decision {
    const next: DialogueState = { ...state, misses: 0, lastIntent: intent };
    const answer = this.answer(state.locale, intent);
    switch (intent) {
      case "greeting":
        return this.menu(next, "menuIntro");
      case "thanks_bye":
        return this.say(next, [{ type: "reply", reply: { text: answer } }]);
      case "human_agent":
        return this.say(next, [
          { type: "reply", reply: { text: answer } },
          { type: "handoff", priority: "normal", reason: "requested" },
        ]);
      case "scam_report":
        return this.say(next, [
          { type: "reply", reply: { text: answer } },
          { type: "handoff", priority: "urgent", reason: "scam_report" },
        ]);
      case "out_of_scope":
        return this.say(next, [{ type: "reply", reply: { text: answer } }]);
      default:
        return this.say(next, [{ type: "reply", reply: this.withFeedback(state, answer, intent) }], {
          answered: intent,
        });
    }
  }

  /** The bot could not answer: clarify with the two likeliest topics, or offer a human after repeated misses. */
  private miss(state: DialogueState, c: Ranking): Decision {
    const next: DialogueState = { ...state, misses: state.misses + 1 };
    const actions: Action[] = [];
    const signals: TurnSignals = { miss: true };
    if (c.intent === "out_of_scope" && c.confidence >= this.options.answerThreshold) {
      actions.push({ type: "reply", reply: { text: this.answer(state.locale, "out_of_scope") } });
      signals.outOfScope = true;
    }
    if (next.misses >= this.options.missesBeforeHuman) {
      const buttons = [
        this.labelledButton(state, BUTTON.human, "humanButton"),
        this.labelledButton(state, BUTTON.keepBot, "keepBotButton"),
      ];
      actions.push(this.reply(state, "offerHuman", buttons));
      return this.say(next, actions, { ...signals, offeredHuman: true });
    }
    if (actions.length === 0) {
      const topics = [c.intent, ...c.alternatives.map((a) => a.intent)].filter(
        (i): i is IntentId => isIntentId(i) && !NOT_TOPICS.has(i),
      );
      const buttons = topics.slice(0, 2).map((i) => this.topicButton(state.locale, i));
      buttons.push(this.labelledButton(state, BUTTON.other, "clarifyOther"));
      actions.push(this.reply(state, "clarify", buttons));
      signals.clarified = true;
    }
    return this.say(next, actions, signals);
  }

  private menu(state: DialogueState, intro: MessageKey): Decision {
    const buttons = this.knowledge.menu.map((i) => this.topicButton(state.locale, i));
    return this.say(state, [this.reply(state, intro, buttons)]);
  }

  private withFeedback(state: DialogueState, answer: string, intent: IntentId): Reply {
    const question = this.message(state.locale, "feedbackQuestion");
    const buttons = this.feedbackButtons(state, intent);
    if (intent === "account_compromised")
      buttons.push(this.labelledButton(state, BUTTON.human, "humanButton"));
    return { text: `${answer}\n\n${question}`, buttons };
  }

  private answer(locale: Locale, intent: IntentId): string {
    const entry = this.knowledge.intents[intent];
    if (!entry) throw new RangeError(`no content for intent ${intent}`);
    return render(entry.answer[locale].trim(), this.knowledge, locale);
  }

  private message(locale: Locale, key: MessageKey, values: Record<string, string> = {}): string {
    return render(this.knowledge.messages[key][locale], this.knowledge, locale, values);
  }

  private reply(state: DialogueState, key: MessageKey, buttons?: Button[]): Action {
    const text = this.message(state.locale, key);
    return { type: "reply", reply: buttons ? { text, buttons } : { text } };
  }

  private labelledButton(state: DialogueState, id: string, label: MessageKey): Button {
    return { id, label: this.message(state.locale, label) };
  }

  private topicButton(locale: Locale, intent: IntentId): Button {
    return { id: BUTTON.topic(intent), label: this.knowledge.intents[intent]?.label[locale] ?? intent };
  }

  private say(state: DialogueState, actions: Action[], signals: TurnSignals = {}): Decision {
    return { actions, state, signals };
  }
}
