import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONTENT_DIR } from "../../../src/content-loader.ts";
import { type IntentFile, intentFileSchema, suggestionFileSchema } from "../../../src/core/content.ts";
import { type ContentFile, checkContent } from "../../../src/core/content-checks.ts";
import { type Label, suggestionYaml, suggestUtterances } from "../../../src/core/suggest.ts";

/** content/ as the build reads it, each file's parsed YAML. */
function contentFiles() {
  const read = (name: string): ContentFile => ({
    path: `content/${name}`,
    data: parse(readFileSync(join(CONTENT_DIR, name), "utf8")),
  });
  const intents = readdirSync(join(CONTENT_DIR, "intents"))
    .filter((n) => n.endsWith(".yaml"))
    .sort()
    .map((n) => read(`intents/${n}`));
  return {
    intents,
    contacts: read("contacts.yaml"),
    hours: read("hours.yaml"),
    messages: read("messages.yaml"),
    cannedReplies: read("canned-replies.yaml"),
  };
}

const files = contentFiles();
const intents = files.intents.map((f) => {
  const data = f.data as IntentFile;
  return { id: data.id, utterances: data.utterances };
});
const utterancesOf = (id: string) => intents.find((i) => i.id === id)?.utterances ?? [];

describe("suggestUtterances", () => {
  it("suggests new texts per intent, in the intents' order and the labels' order", () => {
    // Prepare
    const labels: Label[] = [
      { intent: "withdraw_howto", text: "提领要去哪个页面" },
      { intent: "fees", text: "how much do you charge to cash out to a bank card" },
      { intent: "withdraw_howto", text: "cash out  to my bank\nhow?" },
    ];

    // Act
    const report = suggestUtterances(labels, intents);

    // Assess
    expect(report.suggestions).toEqual([
      { intent: "fees", utterances: ["how much do you charge to cash out to a bank card"] },
      { intent: "withdraw_howto", utterances: ["提领要去哪个页面", "cash out to my bank how?"] },
    ]);
  });

  it("reports a text already in the training data, in any script, spacing or punctuation, with the intent that has it", () => {
    // Prepare: real utterances of two intents, written differently, labelled with the same or another intent
    const [withdraw] = utterancesOf("withdraw_howto");
    const [fee] = utterancesOf("fees");
    expect(withdraw).toBe("怎么提现");
    const labels: Label[] = [
      { intent: "withdraw_howto", text: "怎麼提現？" },
      { intent: "fees", text: ` ${withdraw} !!` },
      { intent: "limits", text: (fee ?? "").toUpperCase() },
    ];

    // Act
    const report = suggestUtterances(labels, intents);

    // Assess
    expect(report.suggestions).toEqual([]);
    expect(report.alreadyKnown).toEqual([
      { intent: "withdraw_howto", text: "怎麼提現？", knownAs: "withdraw_howto" },
      { intent: "fees", text: "怎么提现 !!", knownAs: "withdraw_howto" },
      { intent: "limits", text: (fee ?? "").toUpperCase(), knownAs: "fees" },
    ]);
  });

  it("suggests a text labelled several times once, for the intent most labels name", () => {
    // Prepare
    const labels: Label[] = [
      { intent: "limits", text: "is there a cap on cashing out per day" },
      { intent: "withdraw_howto", text: "Is there a cap on cashing out per day?" },
      { intent: "limits", text: "is there a CAP on cashing out per day!" },
      { intent: "limits", text: "is there a cap on cashing out per day" },
    ];

    // Act
    const report = suggestUtterances(labels, intents);

    // Assess
    expect(report.suggestions).toEqual([
      { intent: "limits", utterances: ["is there a cap on cashing out per day"] },
    ]);
    expect(report.conflicting).toEqual([
      { intent: "withdraw_howto", text: "Is there a cap on cashing out per day?", suggestedAs: "limits" },
    ]);
  });

  it("withholds texts with a secret, a contact or a placeholder, showing them redacted", () => {
    // Prepare
    const labels: Label[] = [
      { intent: "verify_contact", text: "is 4OO-8OO-1234 really your hotline" },
      { intent: "verify_contact", text: "客服說加 @Wallet_Help2024 是真的嗎" },
      { intent: "account_locked", text: "my code [REDACTED:code] does not work" },
      { intent: "payment_failed", text: "card 4111 1111 1111 1111 declined" },
      { intent: "verify_contact", text: "is [contact] yours" },
      { intent: "feedback", text: "👍👍" },
      { intent: "feedback", text: "很".repeat(501) },
    ];

    // Act
    const report = suggestUtterances(labels, intents);

    // Assess
    expect(report.suggestions).toEqual([]);
    expect(report.withheld.map((w) => [w.reason, w.text.slice(0, 40)])).toEqual([
      ["contact", "is [contact] really your hotline"],
      ["contact", "客服說加 [contact] 是真的嗎"],
      ["secret", "my code [REDACTED:code] does not work"],
      ["secret", "card [REDACTED:card] declined"],
      ["contact", "is [contact] yours"],
      ["empty", "👍👍"],
      ["too_long", "很".repeat(40)],
    ]);
  });

  it("reports a label with an intent that does not exist, without its contacts", () => {
    // Act
    const report = suggestUtterances(
      [{ intent: "loans", text: "loan please, call +852 9123 4567" }],
      intents,
    );

    // Assess
    expect(report.unknownIntent).toEqual([{ intent: "loans", text: "loan please, call [contact]" }]);
    expect(report.suggestions).toEqual([]);
  });
});

describe("suggestionYaml", () => {
  const labels: Label[] = [
    { intent: "withdraw_howto", text: "提领要去哪个页面" },
    { intent: "withdraw_howto", text: "怎麼提現" },
    { intent: "fees", text: "- fee: what's the # charge for cashing out?" },
    { intent: "withdraw_howto", text: "請問提領要去哪裡按" },
    { intent: "refund", text: "yes" },
    { intent: "refund", text: "'quoted' and \"double\" — refund?" },
  ];
  const report = suggestUtterances(labels, intents);
  const yaml = suggestionYaml(report.suggestions, {
    generatedAt: "2025-03-01T08:00:00.000Z",
    labels: labels.length,
    notSuggested: labels.length - 5,
  });

  it("starts with a comment saying it is a review file to merge by hand", () => {
    const header = yaml.split("\n").filter((line) => line.startsWith("#"));
    expect(header.join("\n")).toMatch(/REVIEW FILE, NOT CONTENT/);
    expect(header.join("\n")).toMatch(/content\/intents\/<id>\.yaml/);
    expect(header.join("\n")).toMatch(/2025-03-01T08:00:00\.000Z/);
    expect(yaml).toMatch(/^- id: withdraw_howto\n {2}utterances:\n {4}- 提领要去哪个页面\n/m);
  });

  it("parses back to the suggestions, in the shape the content schema accepts", () => {
    // Act
    const parsed = suggestionFileSchema.parse(parse(yaml));

    // Assess
    expect(parsed).toEqual(report.suggestions.map((s) => ({ id: s.intent, utterances: s.utterances })));
    expect(parsed.flatMap((s) => s.utterances)).toContain("- fee: what's the # charge for cashing out?");
  });

  it("merged into content/intents, passes every content schema and cross-file rule", () => {
    // Prepare: what the operator does by hand
    const suggested = suggestionFileSchema.parse(parse(yaml));
    const merged = files.intents.map((file) => {
      const data = file.data as IntentFile;
      const extra = suggested.find((s) => s.id === data.id)?.utterances ?? [];
      return { ...file, data: { ...data, utterances: [...data.utterances, ...extra] } };
    });

    // Act
    const checked = checkContent({ ...files, intents: merged });

    // Assess
    for (const file of merged) expect(intentFileSchema.safeParse(file.data).success, file.path).toBe(true);
    expect(checked.examples.length).toBe(
      intents.reduce((n, i) => n + i.utterances.length, 0) + suggested.flatMap((s) => s.utterances).length,
    );
  });

  it("would be refused by the content checks if a known utterance slipped through", () => {
    // Prepare: the check above can fail: an utterance of another intent, copied in by hand
    const merged = files.intents.map((file) => {
      const data = file.data as IntentFile;
      return data.id === "fees"
        ? { ...file, data: { ...data, utterances: [...data.utterances, "怎么提现！"] } }
        : file;
    });

    // Act + Assess
    expect(() => checkContent({ ...files, intents: merged })).toThrow(/"怎么提现" is also in fees\.yaml/);
  });

  it("is an empty list, still with its header, when there is nothing to suggest", () => {
    const empty = suggestionYaml([], { generatedAt: "2025-03-01T08:00:00.000Z", labels: 0, notSuggested: 0 });
    expect(empty).toMatch(/^# Training-utterance suggestions/);
    expect(parse(empty)).toEqual([]);
  });
});
