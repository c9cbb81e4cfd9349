import { Document } from "yaml";
import { CONTACT_PLACEHOLDER, missText } from "./miss-text.ts";
import { normaliseText, textKey } from "./text.ts";

/**
 * The learning loop's last step: the intents agents said user messages should have had become
 * training-utterance suggestions, for an operator to review and merge by hand. A suggestion never
 * repeats an utterance any intent already has (by `textKey`: case, width, spacing, punctuation and
 * script do not count, as the classifier's features ignore them), never holds a secret or a contact,
 * and each text is suggested for one intent only (content-checks refuses an utterance in two files).
 */
export interface Label {
  intent: string;
  text: string;
}

export interface Suggestion {
  intent: string;
  utterances: string[];
}

export type WithheldReason = "secret" | "contact" | "too_long" | "empty";

export interface SuggestionReport {
  /** Per intent (in the order of `intents`), the new utterances in the order they were labelled. */
  suggestions: Suggestion[];
  /** Labels whose text is already an utterance: `knownAs` is the intent that has it. */
  alreadyKnown: { intent: string; text: string; knownAs: string }[];
  /** Labels naming an intent that `intents` does not have. */
  unknownIntent: Label[];
  /** Labels not fit to train on; `text` is shown with its secrets and contacts replaced. */
  withheld: (Label & { reason: WithheldReason })[];
  /** The same text labelled with another intent too: it is suggested as `suggestedAs` (most labels, then first). */
  conflicting: { intent: string; text: string; suggestedAs: string }[];
}

/** content/intents/*.yaml allows utterances up to this long. */
const MAX_UTTERANCE = 500;

export function suggestUtterances(
  labels: readonly Label[],
  intents: readonly { id: string; utterances: readonly string[] }[],
): SuggestionReport {
  const known = new Map<string, string>();
  for (const intent of intents)
    for (const utterance of intent.utterances) {
      const key = textKey(utterance);
      if (!known.has(key)) known.set(key, intent.id);
    }
  const ids = new Set(intents.map((i) => i.id));
  const report: SuggestionReport = {
    suggestions: [],
    alreadyKnown: [],
    unknownIntent: [],
    withheld: [],
    conflicting: [],
  };
  /** Text key → the labels that passed every check, in order. */
  const candidates = new Map<string, Label[]>();
  for (const label of labels) {
    const text = normaliseText(label.text).replace(/\s+/g, " ").trim();
    const shown = missText(text);
    if (!ids.has(label.intent)) {
      report.unknownIntent.push({ intent: label.intent, text: shown });
      continue;
    }
    const reason = withheldReason(text, shown);
    if (reason) {
      report.withheld.push({ intent: label.intent, text: shown, reason });
      continue;
    }
    const key = textKey(text);
    const knownAs = known.get(key);
    if (knownAs) {
      report.alreadyKnown.push({ intent: label.intent, text, knownAs });
      continue;
    }
    const list = candidates.get(key) ?? [];
    list.push({ intent: label.intent, text });
    candidates.set(key, list);
  }
  const chosen = new Map<string, string[]>();
  for (const list of candidates.values()) {
    const winner = majority(list);
    for (const label of list)
      if (label.intent !== winner.intent)
        report.conflicting.push({ intent: label.intent, text: label.text, suggestedAs: winner.intent });
    chosen.set(winner.intent, [...(chosen.get(winner.intent) ?? []), winner.text]);
  }
  for (const intent of intents) {
    const utterances = chosen.get(intent.id);
    if (utterances) report.suggestions.push({ intent: intent.id, utterances });
  }
  return report;
}

/** Why a label's text (normalised) cannot train the model; `shown` is its `missText`. */
function withheldReason(text: string, shown: string): WithheldReason | undefined {
  if (/\[REDACTED:/i.test(shown)) return "secret";
  if (shown.includes(CONTACT_PLACEHOLDER)) return "contact";
  if (text.length > MAX_UTTERANCE) return "too_long";
  if (textKey(text) === "") return "empty";
  return undefined;
}

/** The intent most labels of one text name, the first labelled among equals, with its first text. */
function majority(labels: readonly Label[]): Label {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label.intent, (counts.get(label.intent) ?? 0) + 1);
  let best = labels[0] as Label;
  for (const label of labels)
    if ((counts.get(label.intent) ?? 0) > (counts.get(best.intent) ?? 0)) best = label;
  return best;
}

export interface SuggestionMeta {
  /** When the file was written (ISO 8601). */
  generatedAt: string;
  /** How many labels were read, and how many of them became no suggestion (already known, etc.). */
  labels: number;
  notSuggested: number;
}

/**
 * The review file: one YAML document, a list of `id:` and `utterances:` in the shape of
 * content/intents/*.yaml (suggestionFileSchema in content.ts), after a comment saying what to do.
 */
export function suggestionYaml(suggestions: readonly Suggestion[], meta: SuggestionMeta): string {
  const document = new Document(suggestions.map((s) => ({ id: s.intent, utterances: s.utterances })));
  const count = suggestions.reduce((n, s) => n + s.utterances.length, 0);
  document.commentBefore = [
    ` Training-utterance suggestions from agents' labels (npm run cli -- content:suggest), ${meta.generatedAt}:`,
    ` ${count} utterance(s) for ${suggestions.length} intent(s), from ${meta.labels} label(s); ${meta.notSuggested} label(s) not suggested`,
    " (already training utterances, unknown intents, or text with a secret or a contact).",
    " ",
    " A REVIEW FILE, NOT CONTENT: nothing reads it. Each utterance is a real user's message and its intent",
    " an agent's judgement. Copy the ones you agree with into `utterances:` of content/intents/<id>.yaml,",
    " then run npm run build:model and npm test, and deploy.",
  ].join("\n");
  return document.toString({ lineWidth: 0 });
}
