import { detectLanguage } from "./language.ts";
import type { Locale } from "./locale.ts";
import type { LinearModel } from "./model.ts";

/** What the model says about a text: the likeliest intent and the runners-up. */
export interface Ranking {
  intent: string;
  /** Calibrated probability of `intent`, 0–1. */
  confidence: number;
  /** The next likeliest intents, most likely first. */
  alternatives: { intent: string; confidence: number }[];
}

/** A ranking plus the language the text is written in (what `cli classify` prints). */
export interface Classification extends Ranking {
  language: Locale;
}

/** The trained model plus language detection: what the dialogue policy asks about a message. */
export class IntentClassifier {
  constructor(readonly model: LinearModel) {}

  /** Intents only; the dialogue policy decides the language itself (product.md §4's rule). */
  rank(text: string, alternatives = 3): Ranking {
    const [top, ...rest] = this.model.predict(text, alternatives + 1);
    if (!top) throw new Error("model has no labels");
    return {
      intent: top.label,
      confidence: round(top.confidence),
      alternatives: rest.map((s) => ({ intent: s.label, confidence: round(s.confidence) })),
    };
  }

  classify(text: string, fallbackLocale: Locale = "zh-Hans", alternatives = 3): Classification {
    const { intent, confidence, alternatives: others } = this.rank(text, alternatives);
    return {
      intent,
      confidence,
      language: detectLanguage(text, fallbackLocale).locale,
      alternatives: others,
    };
  }
}

const round = (value: number) => Math.round(value * 10000) / 10000;
