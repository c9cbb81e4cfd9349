import { beforeAll, describe, expect, it } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import type { Ranking } from "../../../src/core/classifier.ts";
import type { Knowledge } from "../../../src/core/content.ts";
import type { IntentId } from "../../../src/core/intents.ts";
import { LOCALES, type Locale } from "../../../src/core/locale.ts";
import {
  type Action,
  BUTTON,
  chooseLocale,
  type Decision,
  type DialogueState,
  decide,
  type PolicyContext,
} from "../../../src/core/policy.ts";

let knowledge: Knowledge;
let brain: ReturnType<typeof loadBrain>;
beforeAll(() => {
  brain = loadBrain();
  knowledge = brain.knowledge;
});

/** A classifier that answers what the test says, so each branch is reached on purpose. */
function fixed(intent: IntentId, confidence: number, alternatives: IntentId[] = []): PolicyContext {
  return {
    knowledge,
    rank: (): Ranking => ({
      intent,
      confidence,
      alternatives: alternatives.map((i) => ({ intent: i, confidence: (1 - confidence) / 2 })),
    }),
  };
}

const TEXT: Record<Locale, string> = {
  "zh-Hans": "请问这个怎么办呢",
  "zh-Hant": "請問這個怎麼辦呢",
  en: "how does this work",
};
const state = (locale: Locale, misses = 0): DialogueState => ({ locale, misses });
const replies = (d: Decision) => d.actions.flatMap((a) => (a.type === "reply" ? [a.reply] : []));
const handoffs = (d: Decision) =>
  d.actions.filter((a): a is Extract<Action, { type: "handoff" }> => a.type === "handoff");
const m = (key: keyof Knowledge["messages"], locale: Locale) => knowledge.messages[key][locale];

describe.each(LOCALES)("decide in %s", (locale) => {
  it("answers a confident intent with its FAQ answer and did-this-help buttons", () => {
    const d = decide(state(locale), { type: "text", text: TEXT[locale] }, fixed("password_reset", 0.9));
    const [reply] = replies(d);
    expect(
      reply?.text.startsWith(knowledge.intents.password_reset?.answer[locale].trim().slice(0, 10) ?? "?"),
    ).toBe(true);
    expect(reply?.text.endsWith(m("feedbackQuestion", locale))).toBe(true);
    expect(reply?.buttons).toEqual([
      { id: "fb:y:password_reset", label: m("feedbackYesButton", locale) },
      { id: "fb:n:password_reset", label: m("feedbackNoButton", locale) },
    ]);
    expect(d.state).toEqual({ locale, misses: 0, lastIntent: "password_reset" });
  });

  it("fills contact fields from the registry", () => {
    const d = decide(state(locale), { type: "text", text: TEXT[locale] }, fixed("contact_support", 0.95));
    const text = replies(d)[0]?.text ?? "";
    expect(text).not.toMatch(/\{\{/);
    const hotline = knowledge.contacts.contacts.find((c) => c.id === "hotline")?.value ?? "?";
    expect(text).toContain(hotline);
  });

  it("asks which of the two likeliest topics was meant when confidence is low", () => {
    const context = fixed("transfer_failed", 0.3, ["out_of_scope", "payment_failed", "refund"]);
    const d = decide(state(locale), { type: "text", text: TEXT[locale] }, context);
    expect(replies(d)).toEqual([
      {
        text: m("clarify", locale),
        buttons: [
          { id: "t:transfer_failed", label: knowledge.intents.transfer_failed?.label[locale] },
          { id: "t:payment_failed", label: knowledge.intents.payment_failed?.label[locale] },
          { id: "other", label: m("clarifyOther", locale) },
        ],
      },
    ]);
    expect(d.state.misses).toBe(1);
  });

  it("offers a human after two misses in a row", () => {
    const d = decide(state(locale, 1), { type: "text", text: TEXT[locale] }, fixed("refund", 0.2, ["fees"]));
    expect(replies(d)).toEqual([
      {
        text: m("offerHuman", locale),
        buttons: [
          { id: "human", label: m("humanButton", locale) },
          { id: "bot", label: m("keepBotButton", locale) },
        ],
      },
    ]);
    expect(handoffs(d)).toEqual([]);
    expect(d.state.misses).toBe(2);
  });

  it("answers out-of-scope text politely and counts it as a miss", () => {
    const first = decide(state(locale), { type: "text", text: TEXT[locale] }, fixed("out_of_scope", 0.9));
    expect(replies(first)).toHaveLength(1);
    expect(replies(first)[0]?.buttons).toBeUndefined();
    expect(first.state.misses).toBe(1);
    const second = decide(first.state, { type: "text", text: TEXT[locale] }, fixed("out_of_scope", 0.9));
    expect(replies(second).map((r) => r.text)).toEqual([expect.any(String), m("offerHuman", locale)]);
  });

  it("hands off on request, with a normal priority", () => {
    const d = decide(state(locale, 1), { type: "text", text: TEXT[locale] }, fixed("human_agent", 0.8));
    expect(handoffs(d)).toEqual([{ type: "handoff", priority: "normal", reason: "requested" }]);
    expect(replies(d)[0]?.buttons).toBeUndefined();
    expect(d.state.misses).toBe(0);
  });

  it("warns and hands off urgently on a scam report", () => {
    const d = decide(state(locale), { type: "text", text: TEXT[locale] }, fixed("scam_report", 0.8));
    expect(handoffs(d)).toEqual([{ type: "handoff", priority: "urgent", reason: "scam_report" }]);
    expect(replies(d)[0]?.text).toContain(
      knowledge.contacts.contacts.find((c) => c.id === "fraud_hotline")?.value,
    );
  });

  it("greets with the topic menu", () => {
    const d = decide(
      undefined,
      { type: "text", text: TEXT[locale], localeHint: locale },
      fixed("greeting", 0.9),
    );
    const [reply] = replies(d);
    expect(reply?.text).toBe(m("menuIntro", locale).replace("{{brand}}", m("brand", locale)));
    expect(reply?.buttons?.map((b) => b.id)).toEqual(knowledge.menu.map((i) => `t:${i}`));
  });

  it("says goodbye without feedback buttons", () => {
    const d = decide(state(locale, 1), { type: "text", text: TEXT[locale] }, fixed("thanks_bye", 0.9));
    expect(replies(d)).toEqual([{ text: knowledge.intents.thanks_bye?.answer[locale].trim() }]);
    expect(d.state.misses).toBe(0);
  });

  it("offers a human button with the answer when the account is compromised", () => {
    const d = decide(state(locale), { type: "text", text: TEXT[locale] }, fixed("account_compromised", 0.9));
    expect(replies(d)[0]?.buttons?.map((b) => b.id)).toEqual([
      "fb:y:account_compromised",
      "fb:n:account_compromised",
      "human",
    ]);
  });

  describe("buttons", () => {
    const press = (buttonId: string, s = state(locale)) =>
      decide(s, { type: "button", buttonId }, fixed("greeting", 1));

    it("a topic button answers that topic and clears misses", () => {
      const d = press(BUTTON.topic("withdraw_delayed"), state(locale, 1));
      expect(replies(d)[0]?.text).toContain(
        knowledge.intents.withdraw_delayed?.answer[locale].trim().slice(0, 8),
      );
      expect(d.state).toEqual({ locale, misses: 0, lastIntent: "withdraw_delayed" });
      expect(d.classification).toBeUndefined();
    });

    it("'helpful' records the feedback and thanks the user", () => {
      const d = press(BUTTON.helpful("fees"));
      expect(d.actions).toEqual([
        { type: "feedback", intent: "fees", helpful: true },
        { type: "reply", reply: { text: m("feedbackYes", locale) } },
      ]);
    });

    it("'not helpful' records the feedback and offers a human or the menu", () => {
      const d = press(BUTTON.notHelpful("fees"));
      expect(d.actions[0]).toEqual({ type: "feedback", intent: "fees", helpful: false });
      expect(replies(d)[0]?.buttons?.map((b) => b.id)).toEqual(["human", "menu"]);
      expect(d.state.misses).toBe(1);
    });

    it("'talk to a person' hands off", () => {
      expect(handoffs(press(BUTTON.human))).toEqual([
        { type: "handoff", priority: "normal", reason: "requested" },
      ]);
    });

    it("'keep asking the bot' asks to rephrase and clears misses", () => {
      const d = press(BUTTON.keepBot, state(locale, 2));
      expect(replies(d)).toEqual([{ text: m("rephrase", locale) }]);
      expect(d.state.misses).toBe(0);
    });

    it("'something else' asks to rephrase and keeps the miss count", () => {
      const d = press(BUTTON.other, state(locale, 1));
      expect(replies(d)).toEqual([{ text: m("rephrase", locale) }]);
      expect(d.state.misses).toBe(1);
    });

    it("'main topics' shows the menu", () => {
      expect(replies(press(BUTTON.menu))[0]?.buttons).toHaveLength(knowledge.menu.length);
    });

    it.each([
      "t:no_such_intent",
      "fb:maybe:fees",
      "fb:y:unknown",
      "t:fees:extra",
      "",
      "x".repeat(80),
      "<script>alert(1)</script>",
    ])("an unknown or forged button id (%s) gets the menu and changes nothing", (buttonId) => {
      const before = state(locale, 1);
      const d = press(buttonId, before);
      expect(replies(d)[0]?.text).toBe(m("unknownButton", locale));
      expect(d.actions.every((a) => a.type === "reply")).toBe(true);
      expect(d.state).toEqual(before);
    });
  });
});

describe("the language rule", () => {
  it("starts in the language of the first message, or the platform hint when the text says nothing", () => {
    expect(chooseLocale(undefined, "我的帳號被鎖了", "en")).toBe("zh-Hant");
    expect(chooseLocale(undefined, "你好", "zh-Hant")).toBe("zh-Hant");
    expect(chooseLocale(undefined, "你好", "en")).toBe("zh-Hans");
    expect(chooseLocale(undefined, "好", "en")).toBe("zh-Hans");
    expect(chooseLocale(undefined, "👍", undefined)).toBe("zh-Hans");
  });

  it("lets a first message of one English word keep a Chinese hint, and two words decide", () => {
    expect(chooseLocale(undefined, "ok", "zh-Hant")).toBe("zh-Hant");
    expect(chooseLocale(undefined, "hi", "zh-Hans")).toBe("zh-Hans");
    expect(chooseLocale(undefined, "ok", "en")).toBe("en");
    expect(chooseLocale(undefined, "ok", undefined)).toBe("en");
    expect(chooseLocale(undefined, "hello there", "zh-Hant")).toBe("en");
  });

  it("keeps the conversation's language for short or mixed messages", () => {
    expect(chooseLocale(state("zh-Hant"), "ok", undefined)).toBe("zh-Hant");
    expect(chooseLocale(state("zh-Hans"), "ok thanks", undefined)).toBe("zh-Hans");
    expect(chooseLocale(state("zh-Hant"), "你好", undefined)).toBe("zh-Hant");
    expect(chooseLocale(state("zh-Hans"), "我的transfer失败了", undefined)).toBe("zh-Hans");
  });

  it("switches when the user clearly writes another language or script", () => {
    expect(chooseLocale(state("zh-Hans"), "I still can't log in to my account", undefined)).toBe("en");
    expect(chooseLocale(state("en"), "我的钱转不出去", undefined)).toBe("zh-Hans");
    expect(chooseLocale(state("en"), "你好吗", undefined)).toBe("zh-Hans");
    expect(chooseLocale(state("zh-Hans"), "我的錢轉不出去", undefined)).toBe("zh-Hant");
  });

  it("replies in the conversation's language even when a button is pressed", () => {
    const d = decide(
      state("zh-Hant"),
      { type: "button", buttonId: "menu", localeHint: "en" },
      fixed("greeting", 1),
    );
    expect(replies(d)[0]?.text).toBe(m("menuIntro", "zh-Hant").replace("{{brand}}", m("brand", "zh-Hant")));
  });
});

describe("decide with the product classifier", () => {
  it.each([
    ["忘记支付密码了怎么办", "password_reset", "zh-Hans"],
    ["我的提領三天了還沒到帳", "withdraw_delayed", "zh-Hant"],
    ["I think I just got scammed", "scam_report", "en"],
  ] as const)("%s → %s in %s", (text, intent, locale) => {
    const { classifier } = brain;
    const d = decide(
      undefined,
      { type: "text", text },
      { knowledge, rank: classifier.rank.bind(classifier) },
    );
    expect(d.classification?.intent).toBe(intent);
    expect(d.state.locale).toBe(locale);
    expect(replies(d)[0]?.text).toContain(knowledge.intents[intent]?.answer[locale].trim().slice(0, 8));
  });
});
