import { describe, expect, it } from "vitest";
import { CONTENT_DIR, loadContent } from "../../../src/content-loader.ts";
import { type ContentSet, checkContent } from "../../../src/core/content-checks.ts";
import { INTENTS } from "../../../src/core/intents.ts";
import { LOCALES } from "../../../src/core/locale.ts";
import { render } from "../../../src/core/render.ts";

describe("content/", () => {
  const { knowledge, examples } = loadContent(CONTENT_DIR);

  it("passes every schema and cross-file rule", () => {
    expect(Object.keys(knowledge.intents).sort()).toEqual([...INTENTS].sort());
  });

  it("has several dozen training utterances for every intent, in all three scripts", () => {
    for (const intent of INTENTS) {
      const texts = examples.filter((e) => e.label === intent).map((e) => e.text);
      expect(texts.length, intent).toBeGreaterThanOrEqual(80);
      expect(
        texts.filter((t) => /^[^\p{Script=Han}]*$/u.test(t)).length,
        `${intent} English`,
      ).toBeGreaterThanOrEqual(15);
      expect(
        texts.filter((t) => /[帳號們麼這個嗎說錢轉還沒帶請]/u.test(t)).length,
        `${intent} Traditional`,
      ).toBeGreaterThan(5);
      expect(
        texts.filter((t) => /[账号们么这个吗说钱转还没带请]/u.test(t)).length,
        `${intent} Simplified`,
      ).toBeGreaterThan(5);
    }
  });

  it("renders every answer in every locale with no template field left", () => {
    for (const intent of INTENTS) {
      for (const locale of LOCALES) {
        const text = render(knowledge.intents[intent]?.answer[locale] ?? "", knowledge, locale);
        expect(text, `${intent} ${locale}`).not.toMatch(/\{\{|\}\}/);
      }
    }
  });
});

/** A minimal valid content set, altered by each test to show one problem. */
function validSet(): ContentSet {
  const loaded = loadContent(CONTENT_DIR);
  const intents = Object.entries(loaded.knowledge.intents).map(([id, entry]) => ({
    path: `content/intents/${id}.yaml`,
    data: {
      id,
      description: `about ${id}`,
      label: entry.label,
      answer: entry.answer,
      utterances: Array.from({ length: 30 }, (_, i) => `${id} example ${i}`),
    },
  }));
  return {
    intents,
    contacts: { path: "content/contacts.yaml", data: loaded.knowledge.contacts },
    hours: { path: "content/hours.yaml", data: loaded.knowledge.hours },
    messages: { path: "content/messages.yaml", data: loaded.knowledge.messages },
    cannedReplies: { path: "content/canned-replies.yaml", data: { replies: loaded.knowledge.cannedReplies } },
  };
}

type IntentData = { id: string; answer: Record<string, string>; utterances: string[] } & Record<
  string,
  unknown
>;
const intentData = (set: ContentSet, id: string) =>
  set.intents.find((f) => f.path.endsWith(`/${id}.yaml`))?.data as IntentData;

describe("checkContent", () => {
  it("accepts a valid set", () => {
    expect(() => checkContent(validSet())).not.toThrow();
  });

  it("names the file and entry of a missing translation", () => {
    const set = validSet();
    delete intentData(set, "refund").answer["zh-Hant"];
    expect(() => checkContent(set)).toThrow(/content\/intents\/refund\.yaml: answer\.zh-Hant/);
  });

  it("names an unknown intent", () => {
    const set = validSet();
    set.intents.push({
      path: "content/intents/crypto_tips.yaml",
      data: { ...intentData(set, "fees"), id: "crypto_tips" },
    });
    expect(() => checkContent(set)).toThrow(/content\/intents\/crypto_tips\.yaml: id: Invalid option/);
  });

  it("names a missing intent file", () => {
    const set = validSet();
    set.intents = set.intents.filter((f) => !f.path.endsWith("/fees.yaml"));
    expect(() => checkContent(set)).toThrow(/content\/intents\/fees\.yaml: missing/);
  });

  it("names both intents of a duplicate utterance, even written differently", () => {
    const set = validSet();
    intentData(set, "fees").utterances.push("How much is the fee?");
    intentData(set, "limits").utterances.push("how much is the FEE");
    expect(() => checkContent(set)).toThrow(
      /limits\.yaml: utterance "how much is the FEE" is also in fees\.yaml/,
    );
  });

  it("rejects a contact written literally in an answer", () => {
    const set = validSet();
    intentData(set, "contact_support").answer.en = "Call us on 400 123 4567 any time.";
    expect(() => checkContent(set)).toThrow(
      /contact_support\.yaml: answer\.en: literal contact "400 123 4567"/,
    );
    intentData(set, "contact_support").answer.en = "Visit support-wallet.com or mail help@scam.net";
    expect(() => checkContent(set)).toThrow(/answer\.en: literal contact/);
  });

  it("rejects an answer that asks the user for a secret", () => {
    const set = validSet();
    intentData(set, "password_reset").answer["zh-Hans"] = "请把验证码发给我们，我们帮你重置。";
    intentData(set, "password_reset").answer.en = "Please send us your code so we can reset it.";
    expect(() => checkContent(set)).toThrow(/answer\.en: asks the user for a secret/);
  });

  it("rejects an unknown template field", () => {
    const set = validSet();
    intentData(set, "fees").answer.en = "Call {{contact:whatsapp}}.";
    expect(() => checkContent(set)).toThrow(
      /fees\.yaml: answer\.en: unknown template field \{\{contact:whatsapp\}\}/,
    );
  });

  it("rejects bad hours and contacts with the file named", () => {
    const set = validSet();
    (set.hours.data as { weekly: { mon: string[] } }).weekly.mon = ["9am-5pm"];
    (set.contacts.data as { contacts: [{ lastVerified: string }] }).contacts[0].lastVerified = "yesterday";
    expect(() => checkContent(set)).toThrow(/content\/hours\.yaml: weekly\.mon\.0: expected HH:MM-HH:MM/);
    expect(() => checkContent(set)).toThrow(/content\/contacts\.yaml: contacts\.0\.lastVerified/);
  });
});
