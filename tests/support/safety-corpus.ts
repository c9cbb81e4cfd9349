import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Knowledge } from "../../src/core/content.ts";
import { isLocale, type Locale } from "../../src/core/locale.ts";
import { redactSecrets } from "../../src/core/safety/secrets.ts";
import { verifyContacts } from "../../src/core/safety/verify.ts";

/**
 * Scores the safety detectors on the corpora in tests/fixtures/safety (written separately from the
 * detectors, never tuned on): contact verification and the secret firewall. Used by the corpus test
 * (which holds the targets) and by `npm run bench` (which reports the figures).
 */
const FIXTURES = join(import.meta.dirname, "..", "fixtures");

function rows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

export interface ContactScore {
  n: number;
  /** Official contacts judged anything but official: must be none. */
  officialCalledFake: string[];
  /** Impersonations (lookalike or unlisted) judged not official. */
  impersonationRecall: number;
  missedImpersonations: string[];
  /** Lookalikes named as lookalikes (not just "not listed"). */
  lookalikeNamed: number;
  /** Of everything judged official, the share that is. */
  officialPrecision: number;
}

/** `file`: contacts.csv (the corpus the detectors were developed against) or contacts-heldout.csv. */
export function scoreContacts(knowledge: Knowledge, file = "contacts.csv"): ContactScore {
  const all = rows(join(FIXTURES, "safety", file));
  const officialCalledFake: string[] = [];
  const missedImpersonations: string[] = [];
  let impersonations = 0;
  let caught = 0;
  let lookalikes = 0;
  let named = 0;
  let judgedOfficial = 0;
  let rightlyOfficial = 0;
  for (const row of all) {
    const text = row.text ?? "";
    const locale: Locale = isLocale(row.locale) ? row.locale : "en";
    const verdicts = verifyContacts(text, knowledge, locale).map((c) => c.verdict);
    const official = verdicts.length > 0 && verdicts.every((v) => v === "official");
    if (official) judgedOfficial++;
    if (row.expected === "official") {
      if (official) rightlyOfficial++;
      else officialCalledFake.push(`${text} → ${verdicts.join(",") || "nothing found"}`);
      continue;
    }
    impersonations++;
    const flagged = verdicts.length > 0 && verdicts.some((v) => v !== "official");
    if (flagged) caught++;
    else missedImpersonations.push(`${row.expected}: ${text} → ${verdicts.join(",") || "nothing found"}`);
    if (row.expected === "lookalike") {
      lookalikes++;
      if (verdicts.includes("lookalike")) named++;
    }
  }
  return {
    n: all.length,
    officialCalledFake,
    impersonationRecall: caught / impersonations,
    missedImpersonations,
    lookalikeNamed: named / lookalikes,
    officialPrecision: judgedOfficial === 0 ? 1 : rightlyOfficial / judgedOfficial,
  };
}

export interface SecretScore {
  secrets: number;
  /** Secrets found (redacted) at all. */
  recall: number;
  /** Secrets found as the right kind. */
  kindAccuracy: number;
  missed: string[];
  /** Ordinary messages: the corpus's hard negatives plus both classifier held-out sets. */
  ordinary: number;
  falsePositiveRate: number;
  falsePositives: string[];
}

/** `file`: secrets.csv (developed against) or secrets-heldout.csv. */
export function scoreSecrets(file = "secrets.csv"): SecretScore {
  const corpus = rows(join(FIXTURES, "safety", file));
  const heldOut = ["heldout.csv", "heldout-hard.csv"].flatMap((f) => rows(join(FIXTURES, "classifier", f)));
  const missed: string[] = [];
  const falsePositives: string[] = [];
  let secrets = 0;
  let found = 0;
  let rightKind = 0;
  const ordinary = [...corpus.filter((r) => r.expected === "none"), ...heldOut].map((r) => r.text ?? "");
  for (const row of corpus) {
    if (row.expected === "none") continue;
    secrets++;
    const { kinds } = redactSecrets(row.text ?? "");
    if (kinds.length > 0) found++;
    else missed.push(`${row.expected}: ${row.text}`);
    if (kinds.includes(row.expected as never)) rightKind++;
  }
  for (const text of ordinary) {
    const { kinds } = redactSecrets(text);
    if (kinds.length > 0) falsePositives.push(`${kinds.join(",")}: ${text}`);
  }
  return {
    secrets,
    recall: found / secrets,
    kindAccuracy: rightKind / secrets,
    missed,
    ordinary: ordinary.length,
    falsePositiveRate: falsePositives.length / ordinary.length,
    falsePositives,
  };
}
