import { featureId } from "./features.ts";
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
  /**
   * Set when a rule, not the model's top score, made this out of scope: the text is keyboard noise
   * (no word the model knows), or it names something the wallet's content never mentions.
   */
  rule?: "noise" | "unfamiliar-name";
}

/** A ranking plus the language the text is written in (what `cli classify` prints). */
export interface Classification extends Ranking {
  language: Locale;
}

/** The trained model plus language detection: what the dialogue policy asks about a message. */
export class IntentClassifier {
  private readonly hasOutOfScope: boolean;

  constructor(readonly model: LinearModel) {
    this.hasOutOfScope = model.labels.includes(OUT_OF_SCOPE);
  }

  /** Intents only; the dialogue policy decides the language itself (product.md §4's rule). */
  rank(text: string, alternatives = 3): Ranking {
    const [top, ...rest] = this.model.predict(text, alternatives + 1);
    if (!top) throw new Error("model has no labels");
    const ranking: Ranking = {
      intent: top.label,
      confidence: round(top.confidence),
      alternatives: rest.map((s) => ({ intent: s.label, confidence: round(s.confidence) })),
    };
    if (top.label === OUT_OF_SCOPE || !this.hasOutOfScope) return ranking;
    const rule = this.outOfScopeRule(text);
    if (!rule) return ranking;
    // The model's ranking stays as the alternatives: a clarifying question can still offer them.
    const others = [{ intent: ranking.intent, confidence: ranking.confidence }, ...ranking.alternatives];
    return {
      intent: OUT_OF_SCOPE,
      confidence: RULE_CONFIDENCE,
      alternatives: others.filter((a) => a.intent !== OUT_OF_SCOPE).slice(0, alternatives),
      rule,
    };
  }

  /**
   * What the model can know about names and noise. A Latin-script word is unfamiliar when neither
   * it nor most of its character 3–4-grams are in the model's vocabulary, so a typo of a known word
   * ("passwrod") stays familiar and "Venmo" or "zxcvb" does not. Text of unfamiliar words only is
   * noise. A capitalised unfamiliar word of four letters or more is a name the content never
   * mentions (another company's product), unless it follows "to", "from" or "for", where it is
   * the other side of a payment ("sent it to Ahmad").
   */
  outOfScopeRule(text: string): Ranking["rule"] {
    if (HAN.test(text)) return undefined;
    let words = 0;
    let unfamiliar = 0;
    let name = false;
    let previous = "";
    for (const [word] of text.normalize("NFKC").matchAll(LATIN_WORD)) {
      const lower = word.toLowerCase();
      words++;
      if (!this.knowsWord(lower)) {
        unfamiliar++;
        const capitalised =
          word.length >= 4 && word[0] !== lower[0] && word.slice(1) !== lower.slice(1).toUpperCase();
        if (capitalised && !PAYMENT_SIDE.has(previous)) name = true;
      }
      previous = lower;
    }
    if (words > 0 && unfamiliar === words) return "noise";
    return name ? "unfamiliar-name" : undefined;
  }

  private knowsWord(word: string): boolean {
    if (this.model.knows(featureId("word", word))) return true;
    const padded = ` ${word} `;
    let known = 0;
    let total = 0;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) {
        total++;
        if (this.model.knows(featureId("subword", padded.slice(i, i + n)))) known++;
      }
    }
    return known * 2 >= total;
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

const OUT_OF_SCOPE = "out_of_scope";
/** What a rule's out-of-scope verdict reports as confidence: sure enough to be answered as such. */
const RULE_CONFIDENCE = 0.9;
const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}[\p{Script=Latin}\p{M}\d'’]*/gu;
const PAYMENT_SIDE = new Set(["to", "from", "for"]);

const round = (value: number) => Math.round(value * 10000) / 10000;
