import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CONTACT_PLACEHOLDER, missText } from "../../../src/core/miss-text.ts";
import { contactSpans, extractContacts } from "../../../src/core/safety/extract.ts";
import { findSecrets } from "../../../src/core/safety/secrets.ts";

const SAFETY = join(import.meta.dirname, "..", "..", "fixtures", "safety");
const corpus = (file: string) =>
  (parse(readFileSync(join(SAFETY, file), "utf8"), { columns: true }) as { text: string }[]).map(
    (r) => r.text,
  );

describe("missText", () => {
  it.each([
    [
      "Simplified, a phone with spaces",
      "请问 +1 (202) 555-0100 是你们的客服热线吗？",
      "请问 [contact] 是你们的客服热线吗？",
    ],
    [
      "Simplified, full-width digits and spaces",
      "我的手机号是１３８　１２３４　５６７８，打不通",
      "我的手机号是[contact]，打不通",
    ],
    ["letters standing in for digits", "客服电话 4OO-8OO-1234 是真的吗", "客服电话 [contact] 是真的吗"],
    [
      "Traditional, a handle on Telegram",
      "客服說加 @Wallet_Help2024 在飛機上，是真的嗎？",
      "客服說加 [contact] 在飛機上，是真的嗎？",
    ],
    [
      "Traditional, a domain with an ideographic full stop",
      "這個網址 wallet-example。com 可以提領嗎",
      "這個網址 [contact] 可以提領嗎",
    ],
    [
      "English, an e-mail written with [at] and [dot]",
      "email me at support [at] wallet [dot] example [dot] com please",
      "email me at [contact] please",
    ],
    [
      "English, a link with a path and query",
      "I logged in at https://evil.example.com/login?x=1, now what",
      "I logged in at [contact], now what",
    ],
    ["mixed, a WeChat id", "加微信 wallet_helper88 领红包", "加微信 [contact] 领红包"],
    ["mixed, a QQ number", "QQ号：123456789 说能退款", "QQ号：[contact] 说能退款"],
    ["a domain split by a zero-width space", "evil\u200b.com 是官网吗", "[contact] 是官网吗"],
    [
      "two contacts in one message",
      "is support@wallet.example or +852 9123 4567 real?",
      "is [contact] or [contact] real?",
    ],
  ])("replaces contacts: %s", (_, input, expected) => {
    // Act
    const out = missText(input);

    // Assess
    expect(out).toBe(expected);
  });

  it.each([
    ["Simplified", "怎么提现到银行卡？"],
    ["Traditional", "請問提領要多久才會入帳？"],
    ["English with an amount and a date", "I sent 2000 on 2024-05-01 and it never arrived"],
    ["mixed", "我的withdraw一直pending，怎么办"],
    ["a placeholder the store wrote", "my code [REDACTED:code] did not work"],
  ])("keeps text without contacts as it is: %s", (_, input) => {
    expect(missText(input)).toBe(input);
  });

  it("redacts a secret that the stored text still holds, and the contact beside it", () => {
    // Prepare: stored before the firewall knew the form, or written by a path that skipped it
    const stored = "my card 4111 1111 1111 1111 was charged twice, call me on +852 9123 4567";

    // Act
    const out = missText(stored);

    // Assess
    expect(out).toBe("my card [REDACTED:card] was charged twice, call me on [contact]");
  });

  it("leaves no contact and no secret in any message of the safety corpora", () => {
    // Prepare
    const texts = [
      ...corpus("contacts.csv"),
      ...corpus("contacts-heldout.csv"),
      ...corpus("secrets.csv"),
      ...corpus("secrets-heldout.csv"),
    ];

    // Act
    const leaks = texts
      .map((text) => ({ text, out: missText(text) }))
      .filter(({ out }) => extractContacts(out).length > 0 || findSecrets(out.normalize("NFKC")).length > 0);

    // Assess
    expect(texts.length).toBeGreaterThan(1000);
    expect(leaks).toEqual([]);
  });

  it("replaces each contact extractContacts finds, one placeholder each", () => {
    // Prepare
    const texts = corpus("contacts.csv");

    // Act
    const mismatched = texts.filter((text) => {
      const placeholders = missText(text).split(CONTACT_PLACEHOLDER).length - 1;
      return placeholders !== extractContacts(text).length;
    });

    // Assess
    expect(mismatched).toEqual([]);
  });
});

describe("contactSpans", () => {
  it("places contacts in the text as written, full-width and obfuscated forms included", () => {
    // Prepare
    const text = "号码１３８１２３４５６７８或者 a [at] b [dot] com";

    // Act
    const spans = contactSpans(text).map((s) => [s.kind, text.slice(s.start, s.end)]);

    // Assess
    expect(spans).toEqual([
      ["phone", "１３８１２３４５６７８"],
      ["email", "a [at] b [dot] com"],
    ]);
  });

  it("finds what extractContacts finds, kind for kind", () => {
    for (const text of corpus("contacts.csv")) {
      expect(
        contactSpans(text).map((s) => s.kind),
        text,
      ).toEqual(extractContacts(text).map((c) => c.kind));
    }
  });
});
