import { parse as parseDomain } from "tldts";
import type { ContactKind } from "./contact-forms.ts";

/** A contact as found in a message: its kind, the text as written, and where it was. */
export interface Candidate {
  kind: ContactKind;
  raw: string;
  start: number;
  end: number;
  /** For handles: the platform the message names, when it names one. */
  platform?: string;
}

const LETTER = "\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}";
/** Characters that end a URL or domain: space, CJK text and punctuation, brackets, quotes. */
const URL_END = "\\s<>\"'，。；、！？（）()\\[\\]【】「」《》\\p{Script=Han}";
const LABEL = `[${LETTER}\\d](?:[${LETTER}\\d-]{0,61}[${LETTER}\\d])?`;

const EMAIL = new RegExp(`[A-Za-z0-9._%+-]+@(?:${LABEL}\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+)`, "giu");
const URL_WITH_SCHEME = new RegExp(`https?://[^${URL_END}]+`, "giu");
const TELEGRAM_LINK = /(?:https?:\/\/)?(?:t\.me|telegram\.me|telegram\.dog)\/@?([A-Za-z0-9_]{4,32})/giu;
const BARE_DOMAIN = new RegExp(
  `(?<![\\w@.-])(?:${LABEL}\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+)(?::\\d{2,5})?(?:/[^${URL_END}]*)?`,
  "giu",
);
const HANDLE = /(?<![\w.@])@([\p{L}\p{N}_.]{2,32})/gu;
const QQ = /(?:QQ|qq|Qq|扣扣|企鹅号|企鵝號|Q号|Q號)\s*(?:号|號|群)?\s*(?:是|:|：|=)?\s*(\d{5,11})(?!\d)/gu;
const WECHAT =
  /(?:微信号?|微信號?|vx|v信|wx|weixin|wechat|we chat|公众号|公眾號)\s*(?:号|號|id|ID)?\s*(?:是|:|：|=|搜索|搜尋|搜)?\s*([A-Za-z][-_A-Za-z0-9]{5,29})/giu;
/** Digits with separators; letters O/o and I/l stand in for 0 and 1 in obfuscated numbers ("4OO"). */
const PHONE = /(?:\+|00)?[\dOoIl](?:[\dOoIl]|[\s\-.()/](?=[\dOoIl(])){5,26}/gu;

const PLATFORM_CUES: [string, RegExp][] = [
  ["telegram", /telegram|\btg\b|t\.me|电报|電報|飞机|飛機|纸飞机|紙飛機/i],
  ["x", /twitter|推特|\bx\b|x\.com/i],
  ["weibo", /weibo|微博/i],
  ["discord", /discord/i],
  ["wechat", /wechat|微信|公众号|公眾號/i],
];

/** Every contact candidate in a message, in order, each character in at most one candidate. */
export function extractContacts(input: string): Candidate[] {
  let text = input.normalize("NFKC");
  const found: Candidate[] = [];
  const take = (kind: ContactKind, start: number, raw: string, platform?: string) => {
    const trimmed = raw.replace(/[.,:;!?)\]}>-]+$/u, "");
    if (trimmed.length === 0) return;
    found.push({ kind, raw: trimmed, start, end: start + trimmed.length, ...(platform ? { platform } : {}) });
    // Masked, so later patterns do not find parts of it again.
    text = text.slice(0, start) + " ".repeat(trimmed.length) + text.slice(start + trimmed.length);
  };
  const platform = PLATFORM_CUES.find(([, cue]) => cue.test(text))?.[0];

  for (const m of text.matchAll(EMAIL)) take("email", m.index, m[0]);
  for (const m of text.matchAll(TELEGRAM_LINK)) take("handle", m.index, m[0], "telegram");
  for (const m of text.matchAll(URL_WITH_SCHEME)) take("url", m.index, m[0]);
  for (const m of text.matchAll(BARE_DOMAIN)) {
    const host = m[0].split(/[/:]/)[0] ?? "";
    const parsed = parseDomain(host);
    if (parsed.isIcann && parsed.domain) take("url", m.index, m[0]);
  }
  for (const m of text.matchAll(QQ)) take("qq", m.index + m[0].length - (m[1] ?? "").length, m[1] ?? "");
  for (const m of text.matchAll(WECHAT))
    take("wechat", m.index + m[0].length - (m[1] ?? "").length, m[1] ?? "");
  for (const m of text.matchAll(HANDLE)) take("handle", m.index, m[0], platform);
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/[^\d]/g, "").length;
    const standIns = m[0].replace(/[^OoIl]/g, "").length;
    if (digits + standIns < 6 || digits < 4 || standIns > digits || isDateOrAmount(m[0])) continue;
    take("phone", m.index, m[0].trim());
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Phone-shaped text that is not a phone: dates, times and decimal amounts. */
function isDateOrAmount(raw: string): boolean {
  return /^\s*(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}:\d{2}|\d+\.\d{1,2})\s*$/.test(raw);
}

/** Letters that stand in for digits in an obfuscated phone number. */
export function deobfuscateDigits(raw: string): string {
  return raw.replace(/[Oo]/g, "0").replace(/[Il]/g, "1");
}
