import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import { LOCALES } from "../../../src/core/locale.ts";
import { type DialogueState, decide, type Inbound } from "../../../src/core/policy.ts";
import { verifyContacts } from "../../../src/core/safety/verify.ts";

const { classifier, knowledge } = loadBrain();
const context = { knowledge, rank: classifier.rank.bind(classifier) };

/** Whether every contact the extractor finds in a text is in the registry. */
const unofficial = (text: string) =>
  verifyContacts(text, knowledge, "en")
    .filter((c) => c.verdict !== "official")
    .map((c) => c.candidate.raw);

/** Messages a user might send: free text, pasted contacts, wallet questions, and mixtures. */
const fakeContact = fc.oneof(
  fc.stringMatching(/^\+?(?:86|1|852)? ?4\d{2}[- ]?\d{3}[- ]?\d{4}$/),
  fc.stringMatching(/^\+1 202[- ]555[- ]01\d\d$/),
  fc.stringMatching(/^https?:\/\/[a-z0-9-]{3,12}\.(?:com|net|cn)\/[a-z]{0,6}$/),
  fc.stringMatching(/^(?:https:\/\/)?wa[l1]{2}et[.-]examp[l1]e[.-](?:com|net|co|io)(?:\.[a-z]{3,8}\.io)?$/),
  fc.stringMatching(/^[a-z]{3,10}@[a-z]{3,8}\.(?:com|net)$/),
  fc.stringMatching(/^@[A-Za-z_]{4,15}$/),
  fc.stringMatching(/^@ExampleWallet(?:_?Support|Help|Official|_CS)$/),
  fc.stringMatching(/^(?:微信|QQ) ?[a-z0-9_]{6,12}$/),
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
          expect(unofficial(reply.text)).toEqual([]);
          for (const button of reply.buttons ?? [])
            expect(new TextEncoder().encode(button.id).length).toBeLessThanOrEqual(64);
        }
        if (message.type === "text") {
          for (const pasted of unofficial(message.text)) {
            for (const reply of replies) expect(reply.text).not.toContain(pasted);
          }
        }
        expect(LOCALES).toContain(decision.state.locale);
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });
});
