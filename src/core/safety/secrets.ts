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

/** BIP-39 English words are unique in their first four letters, so a typo after them still counts. */
const ENGLISH = new Set(english);
const ENGLISH_PREFIXES = new Set(english.map((w) => w.slice(0, 4)));
function isListWord(word: string): boolean {
  const lower = word.toLowerCase();
  return ENGLISH.has(lower) || (lower.length >= 4 && ENGLISH_PREFIXES.has(lower.slice(0, 4)));
}

/** Between the words of a pasted phrase: spaces, newlines, commas, numbering ("1." "2)" "#3"). */
const SEPARATOR = /^(?:[\s,;、，；.:()#-]|\d{1,2}[.)、:]?)*$/;

/** A run of ≥ 12 list words with only separators between; one unknown word inside a run is a typo. */
function* latinMnemonics(text: string): Generator<SecretFinding> {
  const words = [...text.matchAll(/[A-Za-z]+/g)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  let run: typeof words = [];
  let count = 0;
  let typos = 0;
  const flush = function* () {
    const first = run[0];
    const last = run.findLast((w) => isListWord(w.word));
    if (first && last && count >= MIN_WORDS)
      yield { kind: "mnemonic" as const, start: first.start, end: last.end };
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

/** Chinese phrases: ≥ 12 list characters spaced or numbered apart, or one run right after a cue. */
function* hanMnemonics(text: string): Generator<SecretFinding> {
  for (const m of text.matchAll(
    /\p{Script=Han}(?:(?:[\s,;、，；.:()#-]|\d{1,2}[.)、:]?)+\p{Script=Han})+/gu,
  )) {
    // Words around the phrase ("係 书 块 … 兄 係") are not part of it: trim unlisted ends.
    const all = [...m[0].matchAll(/\p{Script=Han}/gu)];
    const first = all.findIndex((c) => HAN_WORDS.has(c[0]));
    const last = all.findLastIndex((c) => HAN_WORDS.has(c[0]));
    const chars = all.slice(first, last + 1);
    const listed = chars.filter((c) => HAN_WORDS.has(c[0])).length;
    const start = chars[0]?.index;
    const end = chars.at(-1)?.index;
    if (listed >= MIN_WORDS && listed >= chars.length - 1 && start !== undefined && end !== undefined) {
      yield { kind: "mnemonic", start: m.index + start, end: m.index + end + 1 };
    }
  }
  for (const cue of text.matchAll(PHRASE_CUE)) {
    const from = cue.index + cue[0].length;
    for (const run of text.slice(from, from + 48).matchAll(/\p{Script=Han}+/gu)) {
      const chars = [...run[0]];
      if (chars.length < MIN_WORDS || !chars.every((c) => HAN_WORDS.has(c))) continue;
      // Right after the cue ("助记词要抄在纸上…") only a valid checksum makes it a phrase;
      // after a separator ("助记词：", "助记词是 ", "助記詞共十二個字 ") a run of list characters does.
      const gap =
        cue[0].slice(cue[0].search(/\s|是|为|為|係|如下|:|：/u)) + text.slice(from, from + run.index);
      const separated = /[\s:：是为為係]/u.test(gap) && cue[0].length + run.index > 0;
      if (separated || validChecksum(chars)) {
        yield { kind: "mnemonic", start: from + run.index, end: from + run.index + run[0].length };
      }
      break;
    }
  }
}

/** A Chinese phrase whose BIP-39 checksum holds (1 in 16 or fewer by chance for 12+ characters). */
function validChecksum(chars: string[]): boolean {
  if (![12, 15, 18, 21, 24].includes(chars.length)) return false;
  const phrase = chars.join(" ");
  return validateMnemonic(phrase, simplified) || validateMnemonic(phrase, traditional);
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
