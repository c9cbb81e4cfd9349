import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import { LOCALES } from "../../../src/core/locale.ts";
import { type DialogueState, decide, type Inbound } from "../../../src/core/policy.ts";

const { classifier, knowledge } = loadBrain();
const context = { knowledge, rank: classifier.rank.bind(classifier) };

/** Contact-like strings in a text: URLs and domains, e-mail addresses, @handles, long digit runs. */
const CONTACT_LIKE =
  /https?:\/\/[^\s，。；]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w{3,}|\b[\w-]+\.(?:com|net|org|io|cn|hk|tw)\b|\+?\d[\d -]{6,}\d/gi;
const registry = knowledge.contacts.contacts.map((c) => c.value.toLowerCase());
/** Whether a contact-like string found in a reply is (part of) a registry value; sentence punctuation trimmed. */
const official = (found: string) => {
  const bare = found
    .trim()
    .replace(/[.,;:!?)]+$/, "")
    .toLowerCase();
  return registry.some((value) => value.includes(bare));
};

/** Messages a user might send: free text, pasted contacts, wallet questions, and mixtures. */
const fakeContact = fc.oneof(
  fc.stringMatching(/^\+?(?:86|1|852)? ?4\d{2}[- ]?\d{3}[- ]?\d{4}$/),
  fc.stringMatching(/^https?:\/\/[a-z0-9-]{3,12}\.(?:com|net|cn)\/[a-z]{0,6}$/),
  fc.stringMatching(/^[a-z]{3,10}@[a-z]{3,8}\.(?:com|net)$/),
  fc.stringMatching(/^@[A-Za-z_]{4,15}$/),
);
const phrase = fc.constantFrom(
  "这个电话是你们的吗",
  "這個網站是官方的嗎",
  "is this your support number",
  "客服电话多少",
  "someone from support asked for my code",
  "我的转账失败了",
  "",
);
const message = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.tuple(phrase, fakeContact, phrase).map(([a, contact, b]) => `${a} ${contact} ${b}`),
);
const inbound = fc.oneof(
  message.map((text): Inbound => ({ type: "text", text })),
  fc.string({ maxLength: 80 }).map((buttonId): Inbound => ({ type: "button", buttonId })),
);
const state = fc.option(
  fc.record({
    locale: fc.constantFrom(...LOCALES),
    misses: fc.nat({ max: 5 }),
  }) as fc.Arbitrary<DialogueState>,
  { nil: undefined },
);

describe("decide, for any message", () => {
  it("answers, and every contact in its replies comes from the registry, never from the user", () => {
    fc.assert(
      fc.property(state, inbound, (before, message) => {
        const decision = decide(before, message, context);
        const replies = decision.actions.flatMap((a) => (a.type === "reply" ? [a.reply] : []));
        expect(replies.length).toBeGreaterThan(0);
        for (const reply of replies) {
          expect(reply.text.trim()).not.toBe("");
          expect(reply.text).not.toMatch(/\{\{|\}\}/);
          for (const found of reply.text.match(CONTACT_LIKE) ?? []) expect(official(found), found).toBe(true);
          for (const button of reply.buttons ?? [])
            expect(new TextEncoder().encode(button.id).length).toBeLessThanOrEqual(64);
        }
        if (message.type === "text") {
          for (const pasted of message.text.match(CONTACT_LIKE) ?? []) {
            if (!official(pasted))
              for (const reply of replies) expect(reply.text).not.toContain(pasted.trim());
          }
        }
        expect(LOCALES).toContain(decision.state.locale);
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });
});
