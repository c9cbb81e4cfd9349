import { detectLanguage } from "./language.ts";
import type { Locale } from "./locale.ts";
import type { LinearModel } from "./model.ts";

export interface Classification {
  intent: string;
  /** Calibrated probability of `intent`, 0–1. */
  confidence: number;
  language: Locale;
  /** The next likeliest intents, most likely first. */
  alternatives: { intent: string; confidence: number }[];
}

/** The trained model plus language detection: what the dialogue policy asks about a message. */
export class IntentClassifier {
  constructor(readonly model: LinearModel) {}

  classify(text: string, fallbackLocale: Locale = "zh-Hans", alternatives = 3): Classification {
    const ranked = this.model.predict(text, alternatives + 1);
    const [top, ...rest] = ranked;
    if (!top) throw new Error("model has no labels");
    return {
      intent: top.label,
      confidence: round(top.confidence),
      language: detectLanguage(text, fallbackLocale).locale,
      alternatives: rest
        .slice(0, alternatives)
        .map((s) => ({ intent: s.label, confidence: round(s.confidence) })),
    };
  }
}

const round = (value: number) => Math.round(value * 10000) / 10000;
