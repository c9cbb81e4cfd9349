import { describe, expect, it } from "vitest";
import { loadBrain } from "../../src/config.ts";
import { scoreContacts, scoreSecrets } from "../support/safety-corpus.ts";

const { knowledge } = loadBrain();

/**
 * The targets on realistic corpora written apart from the detectors (tests/fixtures/safety):
 * no official contact ever called fake, impersonations caught ≥ 98%, secrets caught ≥ 99% with at
 * most 1% false alarms on ordinary messages. The failure message lists the cases that miss.
 */
describe.each([
  ["the corpus the detectors were developed against", "contacts.csv", "secrets.csv", 200],
  ["the held-out corpus", "contacts-heldout.csv", "secrets-heldout.csv", 140],
])("safety on %s", (_name, contactsFile, secretsFile, minimum) => {
  it("never calls an official contact fake and catches at least 98% of impersonations", () => {
    const score = scoreContacts(knowledge, contactsFile);
    expect(score.n).toBeGreaterThanOrEqual(minimum);
    expect(score.officialCalledFake).toEqual([]);
    expect(score.impersonationRecall, score.missedImpersonations.join("\n")).toBeGreaterThanOrEqual(0.98);
    expect(score.officialPrecision).toBe(1);
  });

  it("catches at least 99% of secrets with at most 1% false alarms on ordinary messages", () => {
    const score = scoreSecrets(secretsFile);
    expect(score.secrets).toBeGreaterThanOrEqual(minimum);
    expect(score.recall, score.missed.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(score.falsePositiveRate, score.falsePositives.join("\n")).toBeLessThanOrEqual(0.01);
  });
});
