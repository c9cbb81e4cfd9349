/**
 * Safety figures for issue 4: contact verification and the secret firewall on the corpora in
 * tests/fixtures/safety, and how long inspecting one message takes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { loadBrain } from "../src/config.ts";
import { percentile } from "../src/core/metrics.ts";
import { screenOutbound } from "../src/core/safety/outbound.ts";
import { redactSecrets } from "../src/core/safety/secrets.ts";
import { verifyContacts } from "../src/core/safety/verify.ts";
import { scoreContacts, scoreSecrets } from "../tests/support/safety-corpus.ts";

const SAFETY = join(import.meta.dirname, "..", "tests", "fixtures", "safety");

export interface SafetyResult {
  corpus: string;
  contacts: {
    n: number;
    officialCalledFake: number;
    impersonationRecall: number;
    lookalikeNamed: number;
    officialPrecision: number;
  };
  secrets: { n: number; recall: number; kindAccuracy: number; ordinary: number; falsePositiveRate: number };
}

export function benchSafety(): {
  results: SafetyResult[];
  inspectUsP50: number;
  inspectUsP99: number;
  screenUsP50: number;
  screenUsP99: number;
} {
  const { knowledge } = loadBrain();
  const corpora = [
    { corpus: "developed against", contacts: "contacts.csv", secrets: "secrets.csv" },
    { corpus: "held out", contacts: "contacts-heldout.csv", secrets: "secrets-heldout.csv" },
  ].filter((c) => existsSync(join(SAFETY, c.contacts)) && existsSync(join(SAFETY, c.secrets)));
  const results = corpora.map((c): SafetyResult => {
    const contacts = scoreContacts(knowledge, c.contacts);
    const secrets = scoreSecrets(c.secrets);
    return {
      corpus: c.corpus,
      contacts: {
        n: contacts.n,
        officialCalledFake: contacts.officialCalledFake.length,
        impersonationRecall: round(contacts.impersonationRecall),
        lookalikeNamed: round(contacts.lookalikeNamed),
        officialPrecision: round(contacts.officialPrecision),
      },
      secrets: {
        n: secrets.secrets,
        recall: round(secrets.recall),
        kindAccuracy: round(secrets.kindAccuracy),
        ordinary: secrets.ordinary,
        falsePositiveRate: round(secrets.falsePositiveRate),
      },
    };
  });
  const texts = ["contacts.csv", "secrets.csv"].flatMap((f) =>
    (parse(readFileSync(join(SAFETY, f), "utf8"), { columns: true }) as { text: string }[]).map(
      (r) => r.text,
    ),
  );
  // One untimed round first: the first sight of a pattern or a phone region compiles it.
  for (const text of texts) {
    redactSecrets(text);
    verifyContacts(text, knowledge, "zh-Hans");
  }
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      redactSecrets(text);
      verifyContacts(text, knowledge, "zh-Hans");
      times.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  // An agent's reply: normalised, redacted and checked against the registry before it is sent.
  const screens: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const text of texts) {
      const started = process.hrtime.bigint();
      screenOutbound(text, knowledge, "zh-Hans");
      screens.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  }
  return {
    results,
    inspectUsP50: round(percentile(times, 0.5)),
    inspectUsP99: round(percentile(times, 0.99)),
    screenUsP50: round(percentile(screens, 0.5)),
    screenUsP99: round(percentile(screens, 0.99)),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
