import STCharacters from "opencc-js/dict/STCharacters";
import TSCharacters from "opencc-js/dict/TSCharacters";
import type { Locale } from "./locale.ts";

/** First characters of each `from to…` entry of an OpenCC dictionary string. */
function dictionaryKeys(dictionary: string): Set<string> {
  const keys = new Set<string>();
  for (const entry of dictionary.split("|")) {
    const key = entry.slice(0, entry.indexOf(" "));
    if ([...key].length === 1) keys.add(key);
  }
  return keys;
}

/** Characters written only in Traditional script (they have a different Simplified form). */
const TRADITIONAL_ONLY = dictionaryKeys(TSCharacters);
/** Characters written only in Simplified script: they map to Traditional and are not Traditional themselves. */
const SIMPLIFIED_ONLY = new Set([...dictionaryKeys(STCharacters)].filter((c) => !TRADITIONAL_ONLY.has(c)));

const HAN = /\p{Script=Han}/u;
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
  for (const char of text) {
    if (!HAN.test(char)) continue;
    han++;
    if (TRADITIONAL_ONLY.has(char)) traditional++;
    else if (SIMPLIFIED_ONLY.has(char)) simplified++;
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
