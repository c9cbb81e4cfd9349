import { entropyToMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as simplified } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as traditional } from "@scure/bip39/wordlists/traditional-chinese.js";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../src/core/random.ts";
import { findSecrets, redactSecrets } from "../../../../src/core/safety/secrets.ts";

/** Real phrases (their checksums hold), from fixed entropy so the test is the same every run. */
const entropy = (bytes: number, fill: number) =>
  Uint8Array.from({ length: bytes }, (_, i) => (i * 37 + fill) % 256);
const phrase = (list: string[], bytes = 16, fill = 11) => entropyToMnemonic(entropy(bytes, fill), list);
const en12 = phrase(english);
const en24 = phrase(english, 32, 5);
const hans12 = phrase(simplified);
const hant12 = phrase(traditional, 16, 3);
const unspaced = (p: string) => p.replaceAll(" ", "");

describe("the secret's own span is redacted, the words around it are kept", () => {
  it.each([
    [
      `here is my recovery phrase: ${en12} can you restore my wallet`,
      "here is my recovery phrase: [REDACTED:mnemonic] can you restore my wallet",
    ],
    [`my seed phrase is ${en24}, please help`, "my seed phrase is [REDACTED:mnemonic], please help"],
    [`write down these words: ${en12}`, "write down these words: [REDACTED:mnemonic]"],
    [
      `Never share your recovery phrase (${en12}) with anyone`,
      "Never share your recovery phrase ([REDACTED:mnemonic]) with anyone",
    ],
    [
      `${en12}\nis this safe to share with support?`,
      "[REDACTED:mnemonic]\nis this safe to share with support?",
    ],
  ])("English: %s", (text, expected) => {
    expect(redactSecrets(text)).toEqual({ text: expected, kinds: ["mnemonic"] });
  });

  it.each([
    [`助记词：${hans12} 能帮我恢复吗`, "助记词：[REDACTED:mnemonic] 能帮我恢复吗"],
    [`助记词：${unspaced(hans12)}，能帮我恢复吗`, "助记词：[REDACTED:mnemonic]，能帮我恢复吗"],
    [`我的助记词是 ${hans12} 怎么办`, "我的助记词是 [REDACTED:mnemonic] 怎么办"],
    [
      `客服问我要助记词，我发了${hans12}，是不是被骗了`,
      "客服问我要助记词，我发了[REDACTED:mnemonic]，是不是被骗了",
    ],
  ])("Simplified Chinese: %s", (text, expected) => {
    expect(redactSecrets(text)).toEqual({ text: expected, kinds: ["mnemonic"] });
  });

  it.each([
    [`助記詞：${hant12} 可以幫我恢復嗎`, "助記詞：[REDACTED:mnemonic] 可以幫我恢復嗎"],
    [`助記詞：${unspaced(hant12)}。可以幫我恢復嗎`, "助記詞：[REDACTED:mnemonic]。可以幫我恢復嗎"],
    [`我嘅助記詞係 ${hant12} 點算`, "我嘅助記詞係 [REDACTED:mnemonic] 點算"],
  ])("Traditional Chinese: %s", (text, expected) => {
    expect(redactSecrets(text)).toEqual({ text: expected, kinds: ["mnemonic"] });
  });

  it("keeps the cue of a code and a password, redacting only the value", () => {
    expect(redactSecrets("验证码是 384920，帮我看看").text).toBe("验证码是 [REDACTED:code]，帮我看看");
    expect(redactSecrets("my password is Refl3ct#2231 can you check").text).toBe(
      "my password is [REDACTED:password] can you check",
    );
  });

  it("redacts too much rather than too little when the phrase cannot be told from its neighbours", () => {
    // Two list words after a phrase whose checksum does not hold (a typo): cut at a phrase length.
    const typo = en12.split(" ");
    typo[3] = `${typo[3]}x`;
    const { text } = redactSecrets(`${typo.join(" ")} fish cake`);
    for (const word of en12.split(" ")) expect(text).not.toMatch(new RegExp(`\\b${word}\\b`));
  });

  it("takes chatter run into an unspaced Chinese phrase as part of it", () => {
    const { text } = redactSecrets(`助记词：${unspaced(hans12)}帮我`);
    expect(text.startsWith("助记词：[REDACTED:mnemonic]")).toBe(true);
    for (const char of hans12.split(" ")) expect(text).not.toContain(char);
  });

  it("leaves ordinary text alone", () => {
    const text = "I wrote my recovery phrase on paper; can you tell me how to restore my wallet?";
    expect(redactSecrets(text)).toEqual({ text, kinds: [] });
  });
});

describe("no phrase word is ever left readable", () => {
  const random = seededRandom(20261203);
  const realPhrase = (list: string[], bytes: number) =>
    entropyToMnemonic(
      Uint8Array.from({ length: bytes }, () => Math.floor(random() * 256)),
      list,
    );

  /** A real phrase with one word swapped for another list word, as a hurried copy has it. */
  const miscopied = (list: string[], bytes = 16) => {
    const words = realPhrase(list, bytes).split(" ");
    words[Math.floor(random() * words.length)] = list[Math.floor(random() * list.length)] ?? "";
    return words.join(" ");
  };

  /** Each template places a real phrase among words that are list words too; `phrase` is where it is. */
  const templates: [string, () => { text: string; phrase: string }][] = [
    ["24 English words alone", () => ((p) => ({ text: p, phrase: p }))(realPhrase(english, 32))],
    [
      "24 English words with a colon after the twelfth",
      () => {
        const p = realPhrase(english, 32).split(" ");
        const text = `${p.slice(0, 12).join(" ")}: ${p.slice(12).join(" ")}`;
        return { text, phrase: text };
      },
    ],
    [
      "a phrase then list-word chatter",
      () => ((p) => ({ text: `seed phrase ${p} can you help`, phrase: p }))(realPhrase(english, 16)),
    ],
    [
      "unspaced Simplified Chinese then chatter",
      () =>
        ((p) => ({ text: `助记词：${p}帮我恢复一下钱包`, phrase: p }))(
          realPhrase(simplified, 16).replaceAll(" ", ""),
        ),
    ],
    [
      "spaced Simplified Chinese then chatter",
      () => ((p) => ({ text: `助记词：${p} 帮 我 看 看`, phrase: p }))(realPhrase(simplified, 16)),
    ],
    [
      "spaced Traditional Chinese after a joined character",
      () => ((p) => ({ text: `我發了${p}，係咪被騙`, phrase: p }))(realPhrase(traditional, 16)),
    ],
    // A word miscopied: no checksum to go by, so the rules alone must cover the phrase.
    [
      "a miscopied phrase after list-word cues",
      () =>
        ((p) => ({ text: `my wife's wallet phrase ${p}, she cant log in`, phrase: p }))(miscopied(english)),
    ],
    [
      "a miscopied 24-word phrase after a lead-in",
      () => ((p) => ({ text: `Hi, please check for validation\n\n${p}`, phrase: p }))(miscopied(english, 32)),
    ],
    ["24 miscopied English words alone", () => ((p) => ({ text: p, phrase: p }))(miscopied(english, 32))],
    [
      "a miscopied Chinese phrase, comma separated",
      () => ((p) => ({ text: `助记词（12个）${p}`, phrase: p }))(miscopied(simplified).replaceAll(" ", "，")),
    ],
  ];

  it.each(templates)("%s (400 phrases)", (_, make) => {
    const leaks: string[] = [];
    for (let i = 0; i < 400; i++) {
      const { text, phrase } = make();
      const start = text.indexOf(phrase);
      const end = start + phrase.length;
      const covered = findSecrets(text).some(
        (f) => f.kind === "mnemonic" && f.start <= start && f.end >= end,
      );
      if (!covered) leaks.push(redactSecrets(text).text);
    }
    expect(leaks.slice(0, 3)).toEqual([]);
  });
});
