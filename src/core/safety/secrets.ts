import { validateMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as simplified } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as traditional } from "@scure/bip39/wordlists/traditional-chinese.js";

/**
 * The secret firewall's detector: finds recovery phrases, private keys, card numbers, one-time codes
 * and passwords in a message so they can be replaced before anything is stored, logged or relayed.
 * Detection runs on the NFKC form (full-width digits become ASCII); the rest of the text is kept as
 * the user wrote it.
 */
export const SECRET_KINDS = ["mnemonic", "private_key", "card", "code", "password"] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export interface SecretFinding {
  kind: SecretKind;
  start: number;
  end: number;
}

export interface Redaction {
  /** The text with every secret replaced by `[REDACTED:<kind>]`; the input unchanged when none. */
  text: string;
  /** Kinds found, strongest first, each once. */
  kinds: SecretKind[];
}

export function redactSecrets(input: string): Redaction {
  const { text, origin } = normalizeWithOrigins(input);
  const findings = findSecrets(text);
  if (findings.length === 0) return { text: input, kinds: [] };
  let out = "";
  let at = 0;
  for (const f of findings) {
    const start = origin[f.start] ?? input.length;
    out += `${input.slice(at, start)}[REDACTED:${f.kind}]`;
    at = origin[f.end] ?? input.length;
  }
  const kinds = SECRET_KINDS.filter((k) => findings.some((f) => f.kind === k));
  return { text: out + input.slice(at), kinds };
}

/** NFKC per code point, with each normalised position's origin in the input (and one past the end). */
function normalizeWithOrigins(input: string): { text: string; origin: number[] } {
  let text = "";
  const origin: number[] = [];
  let index = 0;
  for (const char of input) {
    const normal = char.normalize("NFKC");
    for (let i = 0; i < normal.length; i++) origin.push(index);
    text += normal;
    index += char.length;
  }
  origin.push(input.length);
  return { text, origin };
}

/** Non-overlapping findings in order of position; earlier detectors win overlaps. */
export function findSecrets(text: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  const add = (f: SecretFinding) => {
    if (!found.some((g) => f.start < g.end && g.start < f.end)) found.push(f);
  };
  for (const detect of [latinMnemonics, hanMnemonics, privateKeys, cards, codes, passwords]) {
    for (const f of detect(text)) add(f);
  }
  return found.sort((a, b) => a.start - b.start);
}

const MIN_WORDS = 12;
/** The lengths a BIP-39 phrase has; a run of list words longer than this is a phrase plus chatter. */
const PHRASE_LENGTHS = [24, 21, 18, 15, 12] as const;
/** Runs longer than this are redacted whole (a pasted pair of phrases, or a flood of list words). */
const LONGEST_RUN = 26;

/** BIP-39 English words are unique in their first four letters, so a typo after them still counts. */
const ENGLISH = new Set(english);
const ENGLISH_PREFIXES = new Set(english.map((w) => w.slice(0, 4)));
function isListWord(word: string): boolean {
  const lower = word.toLowerCase();
  return ENGLISH.has(lower) || (lower.length >= 4 && ENGLISH_PREFIXES.has(lower.slice(0, 4)));
}

/** Between the words of a pasted phrase: spaces, newlines, commas, numbering ("1." "2)" "#3"). */
const SEPARATOR = /^(?:[\s,;、，；.:()#-]|\d{1,2}[.)、:]?)*$/;

/** Words that name a phrase and are list words themselves ("recovery phrase: …", "seed words"). */
const CUE_WORDS = new Set([
  "secret",
  "recovery",
  "seed",
  "wallet",
  "phrase",
  "phrases",
  "words",
  "mnemonic",
  "backup",
]);

interface Word {
  word: string;
  start: number;
  end: number;
}

/**
 * The phrase inside a run of candidate words, so that only the secret's own span is redacted and the
 * words around it stay readable ("recovery phrase: … can you restore my wallet"). Never at the cost
 * of a phrase word:
 * - The cue words and a short lead-in are dropped ("seed phrase", "my words:"), and so are up to two
 *   words of chatter at the end when that leaves a phrase's length ("can you"); any other word may
 *   be the phrase's and is redacted with it.
 * - A real phrase is also found by its BIP-39 checksum, in windows of every phrase length that start
 *   at the run's start or after the lead-in. Those windows are added to what is redacted, so a real
 *   phrase that starts with a cue word ("seed …") is covered whole.
 */
function phraseWindow(text: string, run: readonly Word[], checksum: (words: string[]) => boolean): Word[] {
  return cover(fallbackWindow(text, run), checkedWindow(text, run, checksum));
}

/**
 * The first and the last word of several windows of one run. A checksum that holds by chance (1 in
 * 16 for twelve words) must never narrow what the rules without it redact, or a phrase with a typo
 * would show: checked windows only add.
 */
function cover(...windows: (readonly Word[] | undefined)[]): Word[] {
  const words = windows.flatMap((w) => w ?? []);
  const first = words.reduce<Word | undefined>((a, w) => (!a || w.start < a.start ? w : a), undefined);
  const last = words.reduce<Word | undefined>((a, w) => (!a || w.end > a.end ? w : a), undefined);
  return first && last ? [first, last] : [];
}

/** The windows of a run whose checksum holds, together; undefined when none does. */
function checkedWindow(
  text: string,
  run: readonly Word[],
  checksum: (words: string[]) => boolean,
): Word[] | undefined {
  if (run.length > LONGEST_RUN) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (const from of new Set([0, leadIn(text, run)])) {
    for (const length of PHRASE_LENGTHS) {
      const window = run.slice(from, from + length);
      if (window.length !== length || !checksum(window.map((w) => w.word))) continue;
      first = Math.min(first, from);
      last = Math.max(last, from + length);
    }
  }
  return last > 0 ? run.slice(first, last) : undefined;
}

/**
 * Without a checksum: the run after its lead-in, less at most two words of chatter at its end when
 * that leaves a phrase's length ("… can you"); any other word may be the phrase's.
 */
function fallbackWindow(text: string, run: readonly Word[]): Word[] {
  const rest = run.slice(leadIn(text, run));
  const length = PHRASE_LENGTHS.find((n) => n <= rest.length);
  if (rest.length > LONGEST_RUN || length === undefined || rest.length - length > 2) return rest;
  const tail = rest.slice(length);
  return tail.every((w) => CHATTER.has(w.word.toLowerCase())) ? rest.slice(0, length) : rest;
}

/** List words that end a message more often than a phrase: "… can you", "… please help", "… thanks". */
const CHATTER = new Set([
  "can",
  "you",
  "please",
  "help",
  "check",
  "thank",
  "thanks",
  "this",
  "that",
  "again",
]);

/**
 * How many words in front of a run are not the phrase: a lead-in of at most six words that ends
 * with a cue word ("never share your recovery phrase", "seed words") or a colon ("my 24 words:",
 * "Seed:"); never so many that fewer than twelve remain. A colon in numbering ("1:") is no lead-in,
 * and in a run of a phrase's own length a cue word is taken for a phrase word ("seed", "wallet").
 */
function leadIn(text: string, run: readonly Word[]): number {
  let lead = 0;
  for (let i = 0; i < Math.min(LEAD_IN, run.length - MIN_WORDS); i++) {
    const word = run[i];
    const next = run[i + 1];
    if (!word || !next) break;
    const colon = /^[^\d]*[:：]\s*$/.test(text.slice(word.end, next.start));
    // A run of a phrase's own length is most likely the phrase: only a colon marks a lead-in there.
    const cue = !isPhraseLength(run.length) && CUE_WORDS.has(word.word.toLowerCase());
    if (cue || colon) lead = i + 1;
  }
  return lead;
}

/** The most words a lead-in may have ("never share your recovery phrase"). */
const LEAD_IN = 6;

const isPhraseLength = (n: number) => (PHRASE_LENGTHS as readonly number[]).includes(n);

const englishChecksum = (words: string[]) => validateMnemonic(words.join(" ").toLowerCase(), english);

/** A run of ≥ 12 list words with only separators between; one unknown word inside a run is a typo. */
function* latinMnemonics(text: string): Generator<SecretFinding> {
  const words: Word[] = [...text.matchAll(/[A-Za-z]+/g)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  let run: Word[] = [];
  let count = 0;
  let typos = 0;
  const flush = function* () {
    const lastListed = run.findLastIndex((w) => isListWord(w.word));
    const phrase =
      count >= MIN_WORDS ? phraseWindow(text, run.slice(0, lastListed + 1), englishChecksum) : [];
    const first = phrase[0];
    const last = phrase.at(-1);
    if (first && last) yield { kind: "mnemonic" as const, start: first.start, end: last.end };
    run = [];
    count = 0;
    typos = 0;
  };
  for (const w of words) {
    const previous = run.at(-1);
    const joined = !previous || SEPARATOR.test(text.slice(previous.end, w.start));
    if (!joined) yield* flush();
    if (isListWord(w.word)) {
      run.push(w);
      count++;
    } else if (run.length > 0 && typos === 0 && w.word.length >= 3 && w.word.length <= 8) {
      run.push(w);
      typos++;
    } else {
      yield* flush();
    }
  }
  yield* flush();
}

const HAN_WORDS = new Set([...simplified, ...traditional]);
/** Words that announce a recovery phrase; after one, an unspaced run of list characters is a phrase. */
const PHRASE_CUE =
  /(助记词|助記詞|记忆词|記憶詞|恢复短语|恢復短語|恢复词|恢復詞|种子词|種子詞|种子短语|種子短語|助记码|助記碼|seed phrase|recovery phrase|mnemonic|seed words)\s*(?:是|为|為|係|如下|:|：)?\s*/giu;
const HAN = /\p{Script=Han}/u;

const hanChecksum = (chars: string[]) =>
  isPhraseLength(chars.length) &&
  (validateMnemonic(chars.join(" "), simplified) || validateMnemonic(chars.join(" "), traditional));

/**
 * Chinese phrases: ≥ 12 list characters spaced or numbered apart, or one run right after a cue.
 * A phrase's characters stand alone; one joined to the words around it ("助记词：的 一 …",
 * "… 中 大 怎么办") belongs to those words and stays readable.
 */
function* hanMnemonics(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(
    /\p{Script=Han}(?:(?:[\s,;、，；.:()#-]|\d{1,2}[.)、:]?)+\p{Script=Han})+/gu,
  )) {
    const all: Word[] = [...m[0].matchAll(/\p{Script=Han}/gu)].map((c) => ({
      word: c[0],
      start: m.index + c.index,
      end: m.index + c.index + 1,
    }));
    // Ends joined to the words around them belong to those words ("助记词：的 一 …", "… 中 大 怎么办")
    // and stay readable; a real phrase's checksum still finds a first or last character typed
    // against a word ("我发了都 麦 … 福，").
    const joinedBefore = HAN.test(text[m.index - 1] ?? "");
    const joinedAfter = HAN.test(text[m.index + m[0].length] ?? "");
    const without = (before: boolean, after: boolean) =>
      listedSpan(all.slice(before && joinedBefore ? 1 : 0, after && joinedAfter ? -1 : undefined));
    const alone = without(true, true);
    const everything = listedSpan(all);
    const listed = everything.filter((c) => HAN_WORDS.has(c.word)).length;
    if (listed < MIN_WORDS || listed < everything.length - 1) continue;
    // Without the rules' help, leave out as many joined ends as still leaves twelve characters.
    const spans = [alone, without(false, true), without(true, false), everything];
    const chars = spans.find((c) => c.length >= MIN_WORDS) ?? everything;
    // The checksum looks at the same spans, narrowest first, so that a window holding by chance
    // does not take a joined cue character ("助記詞 應 候 …") when the phrase stands alone.
    const checked = spans.reduce<Word[] | undefined>(
      (found, span) => found ?? checkedWindow(text, span, hanChecksum),
      undefined,
    );
    const phrase = cover(fallbackWindow(text, chars), checked);
    const start = phrase[0]?.start;
    const end = phrase.at(-1)?.end;
    if (start !== undefined && end !== undefined) yield { kind: "mnemonic", start, end };
  }
  for (const cue of text.matchAll(PHRASE_CUE)) {
    const from = cue.index + cue[0].length;
    for (const run of text.slice(from, from + 48).matchAll(/\p{Script=Han}+/gu)) {
      // The phrase ends where the run's list characters do ("…要迅可以幫我恢復嗎": "嗎" is not one).
      const chars = [...run[0]];
      const unlisted = chars.findIndex((c) => !HAN_WORDS.has(c));
      if (unlisted >= 0) chars.length = unlisted;
      if (chars.length < MIN_WORDS) continue;
      const words: Word[] = chars.map((word, i) => ({
        word,
        start: from + run.index + i,
        end: from + run.index + i + 1,
      }));
      // Right after the cue ("助记词要抄在纸上…") only a valid checksum makes it a phrase;
      // after a separator ("助记词：", "助记词是 ", "助記詞共十二個字 ") a run of list characters does.
      const gap =
        cue[0].slice(cue[0].search(/\s|是|为|為|係|如下|:|：/u)) + text.slice(from, from + run.index);
      const separated = /[\s:：是为為係]/u.test(gap) && cue[0].length + run.index > 0;
      const phrase = separated
        ? phraseWindow(text, words, hanChecksum)
        : (checkedWindow(text, words, hanChecksum) ?? []);
      const start = phrase[0]?.start;
      const end = phrase.at(-1)?.end;
      if (start !== undefined && end !== undefined) yield { kind: "mnemonic", start, end };
      break;
    }
  }
}

/** Without the unlisted characters at either end ("係 书 块 … 兄 係": the words around a phrase). */
function listedSpan(chars: readonly Word[]): Word[] {
  const first = chars.findIndex((c) => HAN_WORDS.has(c.word));
  return first < 0 ? [] : chars.slice(first, chars.findLastIndex((c) => HAN_WORDS.has(c.word)) + 1);
}

const BASE58 = "[1-9A-HJ-NP-Za-km-z]";
/** Text right before a 64-hex string that makes it a transaction hash rather than a key. */
const TX_CONTEXT = /(tx|txid|txn|hash|transaction|交易|哈希|區塊|区块|单号|單號)[^\n]{0,12}$/i;
const KEY_CONTEXT = /(private|secret|key|私钥|私鑰|密钥|密鑰)[^\n]{0,16}$/i;

/** 64-hex keys (not a transaction hash by its label), WIF keys, extended private keys. */
function* privateKeys(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(/(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (TX_CONTEXT.test(before) && !KEY_CONTEXT.test(before)) continue;
    yield { kind: "private_key", start: m.index, end: m.index + m[0].length };
  }
  // A key copied over two or more lines ("私钥分两行抄的：" then 32 + 32 hex digits).
  for (const m of text.matchAll(
    /(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{8,56}(?:[ \t]*\n[ \t]*[0-9a-fA-F]{8,56})+(?![0-9A-Za-z])/g,
  )) {
    if (m[0].replace(/^0x|\s/g, "").length === 64)
      yield { kind: "private_key", start: m.index, end: m.index + m[0].length };
  }
  const wif = new RegExp(
    `(?<![0-9A-Za-z])(?:[5KL]${BASE58}{50,51}|[xyzt]prv${BASE58}{100,112})(?![0-9A-Za-z])`,
    "g",
  );
  for (const m of text.matchAll(wif))
    yield { kind: "private_key", start: m.index, end: m.index + m[0].length };
}

/** Digits that a card number may be written with: groups separated by one space or dash. */
const CARD_LIKE = /(?<![\d.])\d(?:[ .-]?\d){12,18}(?![\d.])/g;
const NOT_A_CARD = /(订单|訂單|order|单号|單號|reference|ref|流水|tracking|編號|编号|tx)[^\n]{0,10}$/i;

function* cards(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(CARD_LIKE)) {
    const digits = m[0].replace(/\D/g, "");
    if (!/^(4|5[1-5]|2[2-7]|3[47]|3[068]|35|6)/.test(digits) || !luhn(digits)) continue;
    if (NOT_A_CARD.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    yield { kind: "card", start: m.index, end: m.index + m[0].length };
  }
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CODE_CUES =
  "验证码|驗證碼|认证码|認證碼|校验码|校驗碼|动态码|動態碼|动态密码|動態密碼|一次性密码|一次性密碼|短信码|簡訊碼|确认码|確認碼|安全码|安全碼|验证器|驗證器|谷歌验证|(?<![密号號编編条條])(?:码|碼)(?=\\s*(?:係|是|:|：))|google auth\\w*|authenticator|otp|2fa|two[- ]factor|2-step|one[- ]time (?:pass)?code|verification code|security code|sms code|passcode|code";
/** Digits of a code, Arabic or Chinese ("七零七五二九"). */
const CODE_DIGIT = "[\\d零〇一二三四五六七八九]";
/** A code after its cue, within a short clause that holds no other digits ("the code they texted me is 646332"). */
const CODE_AFTER = new RegExp(
  `(${CODE_CUES})[^\\d。！？!?\\n]{0,32}?((?:${CODE_DIGIT}[ -]?){3,7}${CODE_DIGIT}|(?=[A-Z0-9-]*\\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{3,4}-?[A-Z0-9]{3,4})(?![\\d\\w])`,
  "giu",
);
/** A code before its cue ("刚收到 440419 这个验证码"). */
const CODE_BEFORE = new RegExp(
  `(?<![\\d.])((?:\\d[ -]?){3,7}\\d)(?![\\d.])(?!\\s*(?:元|块|塊|美元|usd|dollars?|rmb|hkd|twd|%|％|次|天|小时|小時|分钟|分鐘|个|個|笔|筆))[^\\d。！？!?\\n，,；;]{0,14}?(${CODE_CUES})`,
  "giu",
);
/** "尾号 8832", "ending in 8832": the last digits of a phone or card, said to identify it. */
const PHONE_TAIL =
  /(尾号|尾號|末四位|後四位|后四位|ending in|ends in|last (?:4|four) digits?)\s*(?:是|为|為|:|：)?\s*$/i;
/** "error code 4012", "promo code 2024": codes that are not secrets. */
const NOT_A_SECRET_CODE =
  /(error|status|http|zip|postal|promo|invite|invitation|referral|coupon|discount|area|country|邀请|邀請|推荐|推薦|错误|錯誤|优惠|優惠|区号|區號)\s*$/i;

function* codes(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(CODE_AFTER)) {
    const cue = m[1] ?? "";
    if (/^code$/i.test(cue) && NOT_A_SECRET_CODE.test(text.slice(Math.max(0, m.index - 14), m.index)))
      continue;
    const value = m[2] ?? "";
    const start = m.index + m[0].length - value.length;
    if (PHONE_TAIL.test(text.slice(Math.max(0, start - 8), start))) continue;
    yield { kind: "code", start, end: start + value.length };
  }
  for (const m of text.matchAll(CODE_BEFORE)) {
    const value = m[1] ?? "";
    yield { kind: "code", start: m.index, end: m.index + value.length };
  }
}

const PASSWORD_CUE =
  /(登录密码|登錄密碼|登入密碼|支付密码|支付密碼|交易密码|交易密碼|提现密码|提現密碼|资金密码|資金密碼|密码|密碼|password|passwd|pwd|pw|pass|pin)(?![a-z])[^\d。！？!?\n，,；;]{0,16}?([^\s，。,;；！？\p{Script=Han}]{4,64})/giu;

/** A password named after it: "try Reflect2231! thats my password", "Qwer!2024 是我的密码". */
const PASSWORD_BEFORE =
  /(?<![^\s：:，,(（])([^\s，。,;；！？\p{Script=Han}]{6,64})[^\n。.!?]{0,14}?(?:(?:that'?s|that is|is|was|as) (?:my|the) (?:password|pwd|passcode)|是我的(?:密码|密碼)|係我嘅密碼|(?:做|当|當)(?:密码|密碼))/giu;

/**
 * A password given "as such": the first token after its cue that holds a digit or a symbol such as
 * "@" or "!" and no Chinese ("my password is wrong", "can't", "password-free", "密码错误3次" and
 * "8-20 characters" are not passwords); an all-digit token must be six or more digits (payment
 * passwords), four for a PIN.
 */
function* passwords(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(PASSWORD_CUE)) {
    const cue = (m[1] ?? "").toLowerCase();
    const token = (m[2] ?? "").replace(/[.!?)]+$/, (tail) => (/[A-Za-z]/.test(m[2] ?? "") ? "" : tail));
    if (/\p{Script=Han}/u.test(token) || !/[\d!@#$%^&*+=~?]/.test(token) || /^\d+[-~–]\d+$/.test(token))
      continue;
    if (/^\d+$/.test(token) && token.length < (cue === "pin" ? 4 : 6)) continue;
    const start = m.index + m[0].length - (m[2] ?? "").length;
    yield { kind: "password", start, end: start + token.length };
  }
  for (const m of text.matchAll(PASSWORD_BEFORE)) {
    const token = m[1] ?? "";
    if (!/\d/.test(token) || !/[A-Za-z]/.test(token)) continue;
    yield { kind: "password", start: m.index, end: m.index + token.length };
  }
}
