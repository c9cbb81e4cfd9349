import { parse as parseDomain } from "tldts";
import type { ContactKind } from "./contact-forms.ts";
import { fold } from "./lookalike.ts";

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
const URL_END = "\\s<>\"'，。；、！？（）();,\\[\\]【】「」《》\\p{Script=Han}";
const LABEL = `[${LETTER}\\d](?:[${LETTER}\\d-]{0,61}[${LETTER}\\d])?`;

const EMAIL = new RegExp(`[A-Za-z0-9._%+-]+@(?:${LABEL}\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+)`, "giu");
const URL_WITH_SCHEME = new RegExp(`https?://[^${URL_END}]+`, "giu");
/** Profile links that name a handle: the handle is what gets checked, on that platform. */
const PROFILE_LINKS: [string, RegExp][] = [
  [
    "telegram",
    /(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/@?([A-Za-z0-9_]{4,32})[^\s，。；]*/giu,
  ],
  ["x", /(?:https?:\/\/)?(?:www\.|mobile\.)?(?:x\.com|twitter\.com)\/@?([A-Za-z0-9_]{2,15})(?![\w/])/giu],
];
const BARE_DOMAIN = new RegExp(
  `(?<![\\w@.-])(?:${LABEL}\\.)+(?:[${LETTER}]{2,24}|xn--[a-z0-9-]+)(?::\\d{2,5})?(?:/[^${URL_END}]*)?`,
  "giu",
);
const HANDLE = /(?<![\w.@])@([\p{L}\p{N}_.]{2,32})/gu;
/** A username written without "@": three or more capitalised parts, or letters joined by "_" with digits. */
const BARE_HANDLE =
  /(?<![\w@./-])(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*){2,}|[A-Za-z]+_[A-Za-z0-9_]*\d[A-Za-z0-9_]*)(?![\w@.-])/gu;
const QQ = /(?:QQ|qq|Qq|扣扣|企鹅号|企鵝號|Q号|Q號)\s*(?:号|號|群)?\s*(?:是|:|：|=)?\s*(\d{5,11})(?!\d)/gu;
const WECHAT =
  /(?:微信号?|微信號?|薇信|威信|徽信|vx|v信|加\s*v|wx|weixin|wechat|we chat|公众号|公眾號)\s*(?:\s*(?:号|號|id|account|acct|official|公众号|公眾號))*\s*(?:是|:|：|=|-|搜索|搜尋|搜)?\s*(?!(?:wechat|weixin|official|account)\b)([A-Za-z][-_A-Za-z0-9]{5,29})/giu;
/** Characters that show nothing: Unicode's default-ignorable code points. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Digits with separators; letters O/o and I/l stand in for 0 and 1 in obfuscated numbers ("4OO"). */
const PHONE =
  /(?<![A-Za-z0-9_])(?:\+|00)?\(?[\dOoIl](?:[\dOoIl]|[ \t\u00a0\-.()/]{1,3}(?=[\dOoIl(])){4,30}(?![A-Za-z0-9_])/gu;
/** Service short numbers (95xxx, 96xxx, 10xxx) count only where the message talks about numbers or texts. */
const SHORT_NUMBER = /(?<![\d.])(?:95\d{3,4}|96\d{3,4}|10\d{3})(?![\d.])/gu;
const NUMBER_CUE = /号|號|电话|電話|短信|簡訊|来电|來電|打给|打給|拨打|撥打|热线|熱線|call|number|text|sms/iu;

const PLATFORM_CUES: [string, RegExp][] = [
  ["telegram", /telegram|\btg\b|t\.me|电报|電報|飞机|飛機|纸飞机|紙飛機/gi],
  ["x", /twitter|推特|\bx\b|x\.com/gi],
  ["weibo", /weibo|微博/gi],
  ["discord", /discord/gi],
  ["wechat", /wechat|微信|公众号|公眾號/gi],
];

/**
 * The platform a handle is named on: the closest cue in the 30 characters before it, else the
 * closest after it in the same clause ("@ExampleWallet on telegram"), else none.
 */
function platformNear(text: string, index: number): string | undefined {
  let best: { platform: string; distance: number } | undefined;
  for (const [platform, cue] of PLATFORM_CUES) {
    for (const m of text.matchAll(cue)) {
      const before = index - (m.index + m[0].length);
      const after = m.index - index;
      const clause = !/[。！？!?\n；;]/.test(text.slice(index, Math.max(index, m.index)));
      const distance =
        before >= 0 && before <= 30 ? before : after > 0 && after <= 40 && clause ? after + 30 : -1;
      if (distance >= 0 && (!best || distance < best.distance)) best = { platform, distance };
    }
  }
  return best?.platform;
}

/**
 * Every contact candidate in a message, in order, each character in at most one candidate.
 * `brandNames` (the brand in Chinese) lets a Weibo-style name written without "@" be found.
 */
export function extractContacts(
  input: string,
  options: { brandNames?: readonly string[] } = {},
): Candidate[] {
  // What a reader sees: invisible characters (zero-width space, soft hyphen, word joiner…) would
  // otherwise split "evil\u200b.com" or a phone number so that no pattern finds it.
  const visible = input.normalize("NFKC").replace(INVISIBLE, "");
  return findCandidates(visible, unobfuscate(visible), options);
}

/** Where a contact is in the text as written (UTF-16 offsets into the input, end exclusive). */
export interface ContactSpan {
  kind: ContactKind;
  start: number;
  end: number;
}

/**
 * The contacts of `extractContacts`, placed in the input as written rather than in its normal form,
 * so that they can be cut out of it (the misses list shows user text without the user's contacts).
 * Slower than `extractContacts` (it keeps every character's origin), so not for the message path.
 */
export function contactSpans(input: string, options: { brandNames?: readonly string[] } = {}): ContactSpan[] {
  const visible = visibleTracked(input);
  const plain = OBFUSCATIONS.reduce((view, [pattern, by]) => replaceTracked(view, pattern, by), visible);
  return findCandidates(visible.text, plain.text, options).map((c) => ({
    kind: c.kind,
    start: plain.from[c.start] ?? input.length,
    end: plain.to[c.end - 1] ?? input.length,
  }));
}

/** Text with, for each of its UTF-16 units, the input span it came from. */
interface Tracked {
  text: string;
  from: number[];
  to: number[];
}

/** NFKC per code point and invisible characters dropped: `extractContacts`' visible text, tracked. */
function visibleTracked(input: string): Tracked {
  const view: Tracked = { text: "", from: [], to: [] };
  let index = 0;
  for (const char of input) {
    const normal = char.normalize("NFKC").replace(INVISIBLE, "");
    for (let i = 0; i < normal.length; i++) {
      view.from.push(index);
      view.to.push(index + char.length);
    }
    view.text += normal;
    index += char.length;
  }
  return view;
}

/** `text.replace(pattern, by)`, each replacement character coming from the whole match. */
function replaceTracked(view: Tracked, pattern: RegExp, by: string): Tracked {
  const out: Tracked = { text: "", from: [], to: [] };
  let at = 0;
  const keep = (end: number) => {
    out.text += view.text.slice(at, end);
    out.from.push(...view.from.slice(at, end));
    out.to.push(...view.to.slice(at, end));
  };
  for (const m of view.text.matchAll(pattern)) {
    keep(m.index);
    const end = m.index + m[0].length;
    out.text += by;
    for (let i = 0; i < by.length; i++) {
      out.from.push(view.from[m.index] ?? 0);
      out.to.push(view.to[end - 1] ?? 0);
    }
    at = end;
  }
  keep(view.text.length);
  return out;
}

/** The contacts in `text` (the unobfuscated form of `visible`), each character in at most one. */
function findCandidates(
  visible: string,
  unobfuscated: string,
  options: { brandNames?: readonly string[] },
): Candidate[] {
  let text = unobfuscated;
  const found: Candidate[] = [];
  const take = (kind: ContactKind, start: number, raw: string, platform?: string) => {
    const trimmed = raw.replace(/[.,:;!?)\]}>-]+$/u, "");
    if (trimmed.length === 0) return;
    found.push({ kind, raw: trimmed, start, end: start + trimmed.length, ...(platform ? { platform } : {}) });
    // Masked, so later patterns do not find parts of it again.
    text = text.slice(0, start) + " ".repeat(trimmed.length) + text.slice(start + trimmed.length);
  };

  for (const m of text.matchAll(EMAIL)) take("email", m.index, m[0]);
  for (const [site, pattern] of PROFILE_LINKS)
    for (const m of text.matchAll(pattern)) take("handle", m.index, m[0], site);
  for (const m of text.matchAll(URL_WITH_SCHEME)) take("url", m.index, m[0]);
  for (const m of text.matchAll(BARE_DOMAIN)) {
    // A top-level name spelt with lookalike letters ("cοm" with a Greek ο) is still a domain here.
    const host = fold(m[0].split(/[/:]/)[0] ?? "");
    const parsed = parseDomain(host);
    if (parsed.isIcann && parsed.domain) take("url", m.index, m[0]);
  }
  for (const m of text.matchAll(QQ)) take("qq", m.index + m[0].length - (m[1] ?? "").length, m[1] ?? "");
  for (const m of text.matchAll(WECHAT))
    take("wechat", m.index + m[0].length - (m[1] ?? "").length, m[1] ?? "");
  const near = (index: number) => platformNear(visible, index);
  for (const m of text.matchAll(HANDLE)) take("handle", m.index, m[0], near(m.index));
  for (const m of text.matchAll(BARE_HANDLE)) take("handle", m.index, m[0], near(m.index));
  for (const name of options.brandNames ?? []) {
    // Only as a name standing on its own, on a named platform: "微博上搜到 示例钱包官方 这个账号".
    const own = new RegExp(
      `${escapeRegExp(name)}(?:官方|客服|服务|服務|助手|中心|小助手)+(?=\\s|$|[，。,.!?！？」』)]|这个|這個)`,
      "gu",
    );
    for (const m of text.matchAll(own)) {
      const platform = near(m.index);
      if (platform) take("handle", m.index, m[0], platform);
    }
  }
  for (const m of text.matchAll(PHONE)) {
    const { raw, offset } = trimToDigits(m[0]);
    const digits = raw.replace(/[^\d]/g, "").length;
    const standIns = raw.replace(/[^OoIl]/g, "").length;
    if (digits + standIns < 6 || digits < 4 || standIns > digits || isDateOrAmount(raw)) continue;
    take("phone", m.index + offset, raw);
  }
  if (NUMBER_CUE.test(text)) for (const m of text.matchAll(SHORT_NUMBER)) take("phone", m.index, m[0]);
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Spellings people use to dodge filters or that Chinese keyboards produce: "support [at] wallet
 * [dot] example [dot] com", "wallet。example。com". Lengths may change; positions are only used to
 * keep candidates apart.
 */
function unobfuscate(text: string): string {
  return OBFUSCATIONS.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
}

const OBFUSCATIONS: [RegExp, string][] = [
  [/(?<=[A-Za-z0-9])\s*[[(（【]\s*(?:at|@)\s*[\])）】]\s*(?=[A-Za-z0-9])/gi, "@"],
  [/(?<=[A-Za-z0-9])\s*[[(（【]\s*(?:dot|\.)\s*[\])）】]\s*(?=[A-Za-z0-9])/gi, "."],
  [/(?<=[A-Za-z0-9])[。．｡](?=[A-Za-z0-9])/g, "."],
];

/** Drops separator-delimited pieces without a digit at either end ("… 0100 or" → "… 0100"). */
function trimToDigits(match: string): { raw: string; offset: number } {
  const pieces = [...match.matchAll(/[^\s\-./]+/g)];
  const first = pieces.findIndex((p) => /\d/.test(p[0]));
  const last = pieces.findLastIndex((p) => /\d/.test(p[0]));
  const start = pieces[first]?.index ?? 0;
  const lastPiece = pieces[last];
  const end = lastPiece ? lastPiece.index + lastPiece[0].length : match.length;
  const leadingPlus = match.slice(0, start).trimStart().startsWith("+") ? match.indexOf("+") : start;
  return { raw: match.slice(leadingPlus, end), offset: leadingPlus };
}

/** Phone-shaped text that is not a phone: dates, times and decimal amounts. */
function isDateOrAmount(raw: string): boolean {
  return /^\s*(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}:\d{2}|\d+\.\d{1,2})\s*$/.test(raw);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Letters that stand in for digits in an obfuscated phone number. */
export function deobfuscateDigits(raw: string): string {
  return raw.replace(/[Oo]/g, "0").replace(/[Il]/g, "1");
}
