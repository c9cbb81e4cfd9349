import type { Locale } from "./locale.ts";
import { HAN, SCRIPT, SIMPLIFIED_ONLY, TRADITIONAL_ONLY } from "./script-tables.ts";

const LATIN_WORD = /\p{Script=Latin}{2,}/gu;

export interface LanguageGuess {
  locale: Locale;
  /**
   * How clearly the text is Chinese or English: the margin between Han characters and English words
   * (0 for text with neither, such as digits, emoji or a lone "ok" next to a Han character).
   */
  evidence: number;
  /** For Chinese: the margin of script-specific characters behind the zh-Hans / zh-Hant choice. */
  scriptEvidence: number;
}

/**
 * Detects zh-Hans, zh-Hant or en. Mixed text picks the dominant part: each Han character weighs as
 * much as an English word, so "我的transfer失败了" is Chinese and "my 转账 failed again" is English.
 * The Chinese script is decided by characters that exist in only one script; text without any
 * (e.g. "你好") keeps `fallback`'s script when that is Chinese, else Simplified.
 */
export function detectLanguage(text: string, fallback: Locale = "zh-Hans"): LanguageGuess {
  let han = 0;
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const script = SCRIPT[code] as number;
    if (script === HAN) han++;
    else if (script === TRADITIONAL_ONLY) {
      han++;
      traditional++;
    } else if (script === SIMPLIFIED_ONLY) {
      han++;
      simplified++;
    } else if (code >= 0xd840 && code <= 0xd87f) han++; // a rare Han character beyond the BMP (U+20000–2FFFF)
  }
  const englishWords = text.match(LATIN_WORD)?.length ?? 0;
  if (englishWords > han) return { locale: "en", evidence: englishWords - han, scriptEvidence: 0 };
  if (han === 0) return { locale: fallback, evidence: 0, scriptEvidence: 0 };
  const evidence = han - englishWords;
  const scriptEvidence = Math.abs(traditional - simplified);
  if (traditional > simplified) return { locale: "zh-Hant", evidence, scriptEvidence };
  if (simplified > traditional) return { locale: "zh-Hans", evidence, scriptEvidence };
  return { locale: fallback === "en" ? "zh-Hans" : fallback, evidence, scriptEvidence };
}

/** The writing system of a message, for reporting accuracy per script: Latin when it has no Han at all. */
export function scriptOf(text: string): "Simplified" | "Traditional" | "Latin" {
  if (!/\p{Script=Han}/u.test(text)) return "Latin";
  return detectLanguage(text, "zh-Hans").locale === "zh-Hant" ? "Traditional" : "Simplified";
}
