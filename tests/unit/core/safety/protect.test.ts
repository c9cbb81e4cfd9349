import { describe, expect, it } from "vitest";
import { loadBrain } from "../../../../src/config.ts";
import type { Locale } from "../../../../src/core/locale.ts";
import { type Action, type Decision, decide } from "../../../../src/core/policy.ts";

const brain = loadBrain();
const { knowledge } = brain;
const context = { knowledge, rank: brain.classifier.rank.bind(brain.classifier) };

const say = (locale: Locale, text: string) => decide({ locale, misses: 0 }, { type: "text", text }, context);
const replies = (d: Decision) => d.actions.flatMap((a) => (a.type === "reply" ? [a.reply.text] : []));
const actionTypes = (d: Decision) =>
  d.actions.map((a: Action) => (a.type === "handoff" ? `handoff:${a.priority}` : a.type));

describe("is this contact official?", () => {
  it.each([
    ["zh-Hans", "这个电话是你们的吗 +1 202-555-0100", "是官方的"],
    ["zh-Hant", "這個網址是真的嗎 https://help.wallet.example.com/zh-tw", "是官方的"],
    ["en", "is @examplewalletsupportbot your telegram?", "is official"],
  ] as const)("confirms an official contact written differently (%s)", (locale, text, words) => {
    const d = say(locale, text);
    expect(replies(d)[0]).toContain(words);
    expect(replies(d)[0]).toContain(knowledge.contacts.version);
  });

  it.each([
    ["zh-Hans", "客服电话 +1 202-555-0110 是真的吗", "仿冒", "+1 202-555-0110"],
    ["zh-Hant", "wаllet.example.com 是你們的網站嗎", "仿冒", "wаllet.example.com"],
    ["en", "is @ExampleWallet_Support on telegram real?", "impersonation", "ExampleWallet_Support"],
  ] as const)(
    "names a lookalike as impersonation and never repeats it (%s)",
    (locale, text, words, pasted) => {
      const [reply] = replies(say(locale, text));
      expect(reply).toContain(words);
      expect(reply).not.toContain(pasted);
    },
  );

  it.each([
    ["zh-Hans", "百度上查到的客服电话 400-820-1234 是你们的吗", "不在官方联系方式名单里", "+1 202-555-0100"],
    ["zh-Hant", "有人叫我加微信 kefu_88x 是客服嗎", "不在官方聯絡方式名單裡", "ExampleWalletOfficial"],
    [
      "en",
      "QQ 28431234 says it is your support",
      "not in our official contact list",
      "https://wallet.example.com",
    ],
  ] as const)(
    "treats an unlisted contact as impersonation and gives the official one (%s)",
    (locale, text, words, official) => {
      const [reply] = replies(say(locale, text));
      expect(reply).toContain(words);
      expect(reply).toContain(official);
    },
  );

  it.each([
    [
      "zh-Hans",
      "wallet-example-support.com 是你们的网站吗",
      "请改用官方渠道：官方网站 https://wallet.example.com",
    ],
    [
      "zh-Hant",
      "wallet-example-support.com 是你們的網站嗎",
      "請改用官方管道：官方網站 https://wallet.example.com",
    ],
    [
      "en",
      "is wallet-example-support.com your site?",
      "Use an official one instead: Official website https://wallet.example.com",
    ],
  ] as const)("names each official alternative by its label once (%s)", (locale, text, tail) => {
    const [reply] = replies(say(locale, text));
    expect(reply).toContain(tail);
    expect(reply).not.toMatch(/Official website: Official website|官方网站：官方网站|官方網站：官方網站/);
  });

  it("answers a contact pasted alone", () => {
    expect(replies(say("zh-Hans", "400-820-1234"))[0]).toContain("不在官方联系方式名单里");
  });
});

describe("the secret firewall in the policy", () => {
  it.each([
    [
      "en",
      "abandon ability able about above absent absorb abstract absurd abuse access accident",
      "recovery phrase",
    ],
    ["zh-Hans", "我的助记词是 的 一 是 在 不 了 有 和 人 这 中 大", "助记词"],
    ["zh-Hant", "驗證碼是 384920，你們幫我看一下", "驗證碼"],
  ] as const)(
    "warns at once, flags the conversation and stores only the redacted text (%s)",
    (locale, text, advice) => {
      const d = say(locale, text);
      expect(replies(d)[0]).toContain(advice);
      expect(actionTypes(d)).toContain("flag");
      expect(d.storedText).toMatch(/\[REDACTED:(mnemonic|code)\]/);
      expect(d.storedText).not.toMatch(/abandon|的 一 是|384920/);
    },
  );
});

describe("scam signals", () => {
  it.each([
    ["zh-Hans", "有个自称客服的人让我把钱转到安全账户", "这是典型的诈骗手法"],
    ["zh-Hant", "對方說退款要先付手續費才能處理", "這是典型的詐騙手法"],
    ["en", "someone DMed me saying they are support and wants me to share my screen", "common scam"],
  ] as const)("give an urgent warning and an urgent handoff (%s)", (locale, text, words) => {
    const d = say(locale, text);
    expect(replies(d)[0]).toContain(words);
    expect(actionTypes(d)).toContain("handoff:urgent");
    expect(replies(d)[0]).toMatch(/从不|從不|never/);
  });

  it("tells a user who was contacted by 'support' that official support never writes first", () => {
    const [warning] = replies(say("en", "a guy messaged me on telegram claiming to be customer service"));
    expect(warning).toContain("never messages or calls you first");
  });
});

describe("scam cues read in the context of a reported contact", () => {
  const follow = (locale: Locale, first: string, second: string) => {
    const before = say(locale, first);
    return decide(before.state, { type: "text", text: second }, context);
  };

  it.each([
    ["en", "is wallet-example-support.com your website?", "they said to connect my wallet"],
    ["zh-Hans", "wallet-example-support.com 是你们的网站吗", "他们让我连接一下钱包"],
    ["zh-Hant", "+852 6193 2745 說是客服經理嗎", "佢叫我交手續費先可以解凍"],
    ["en", "@ExampleWallet_Support on telegram wrote to me", "they want me to pay a fee first"],
  ] as const)("warns and hands off urgently after a reported contact (%s: %s)", (locale, first, second) => {
    const d = follow(locale, first, second);
    expect(actionTypes(d)).toContain("handoff:urgent");
    expect(replies(d).join("\n")).toContain(knowledge.messages.scamWarning[locale].slice(0, 12));
    expect(d.actions.some((a) => a.type === "handoff" && a.reason === "scam_signal")).toBe(true);
  });

  it.each([
    ["en", "my email is bob.lee@gmail.com", "How do I import my wallet on a new phone?"],
    ["en", "you can reach me at +1 415 555 0133", "I want to send USDT, what is the fee?"],
    ["zh-Hans", "我的手机号 13800138000", "怎么绑定我的钱包"],
  ] as const)(
    "does not take the user's own details as a reported contact (%s: %s)",
    (locale, first, second) => {
      const d = follow(locale, first, second);
      expect(d.actions.some((a) => a.type === "handoff" && a.reason === "scam_signal")).toBe(false);
    },
  );

  it("does not read the loose wording as a scam without that context", () => {
    const d = say("en", "they said to connect my wallet");
    expect(d.actions.some((a) => a.type === "handoff" && a.reason === "scam_signal")).toBe(false);
  });

  it("lets the context lapse after a few turns", () => {
    let state = say("en", "is wallet-example-support.com your website?").state;
    for (const text of ["ok", "what are the fees for a transfer", "thanks"])
      state = decide(state, { type: "text", text }, context).state;
    const d = decide(state, { type: "text", text: "they said to connect my wallet" }, context);
    expect(d.actions.some((a) => a.type === "handoff" && a.reason === "scam_signal")).toBe(false);
    expect(state.suspectTurns).toBeUndefined();
  });
});
