import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { agentRuntime } from "../app/agents.ts";
import { checkedRange, rangeQuerySchema } from "../app/insights-http.ts";
import { runtime } from "../app/runtime.ts";
import { loadContent } from "../content-loader.ts";
import { missText } from "../core/miss-text.ts";
import { suggestionYaml, suggestUtterances } from "../core/suggest.ts";
import { DynamoInsightsStore } from "../store/insights-store.ts";
import { FACT_RETENTION_DAYS } from "../store/records.ts";
import { validate } from "../validate.ts";
import { withStore } from "./agent-commands.ts";
import { formatMissGroups } from "./insights-format.ts";

const OPERATOR = { id: "cli", name: "cli", role: "admin" as const };

/** `insights:misses [--from] [--to] [--json]`: unanswered questions, grouped, without secrets or contacts. */
export async function missesCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } },
  });
  const query = validate(rangeQuerySchema, { from: values.from, to: values.to }, "options");
  const list = await withStore(() => agentRuntime(runtime()).insights.misses(OPERATOR, checkedRange(query)));
  console.log(values.json ? JSON.stringify(list.groups, null, 2) : formatMissGroups(list.groups));
}

/**
 * `content:suggest --out <file> [--from] [--to]`: agents' labels (by default all kept, 400 days) as
 * training-utterance suggestions in the content/intents format, for review; prints what it left out.
 */
export async function suggestCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { from: { type: "string" }, to: { type: "string" }, out: { type: "string" } },
  });
  const query = validate(rangeQuerySchema, { from: values.from, to: values.to }, "options");
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new TypeError("content:suggest needs --out <file>");
  const from =
    query.from ?? new Date(Date.now() - (FACT_RETENTION_DAYS - 35) * 86_400_000).toISOString().slice(0, 10);
  const range = checkedRange({ ...query, from });
  const { examples } = loadContent();
  const intents = new Map<string, string[]>();
  for (const e of examples) intents.set(e.label, [...(intents.get(e.label) ?? []), e.text]);
  const labels = await withStore(async () => {
    const { store, config } = runtime();
    const insights = new DynamoInsightsStore(store.client, config.env.TABLE_NAME);
    // The latest label of each message wins; its text is the transcript's (gone with it).
    const latest = new Map<
      string,
      { conversationId: string; messageId: string; intent: string; at: string }
    >();
    for (const label of await insights.listLabels(range.from, range.to)) {
      const key = `${label.conversationId}/${label.messageId}`;
      const seen = latest.get(key);
      if (!seen || seen.at < label.at) latest.set(key, label);
    }
    const messages = await insights.messages([...latest.values()]);
    const text = new Map(messages.map((m) => [`${m.conversationId}/${m.id}`, m.text]));
    return [...latest.entries()].flatMap(([key, label]) => {
      const found = text.get(key);
      return found === undefined ? [] : [{ intent: label.intent, text: found }];
    });
  });
  const report = suggestUtterances(
    labels,
    [...intents.entries()].map(([id, utterances]) => ({ id, utterances })),
  );
  const suggested = report.suggestions.reduce((n, s) => n + s.utterances.length, 0);
  writeFileSync(
    out,
    suggestionYaml(report.suggestions, {
      generatedAt: new Date().toISOString(),
      labels: labels.length,
      notSuggested: labels.length - suggested,
    }),
  );
  console.log(`${suggested} suggestion(s) from ${labels.length} label(s) written to ${out}`);
  for (const k of report.alreadyKnown)
    console.log(`already a training utterance of ${k.knownAs}: ${missText(k.text)} (labelled ${k.intent})`);
  for (const u of report.unknownIntent) console.log(`unknown intent ${u.intent}: ${missText(u.text)}`);
  for (const w of report.withheld) console.log(`withheld (${w.reason}): ${w.text}`);
  for (const c of report.conflicting)
    console.log(`also labelled ${c.intent}, suggested as ${c.suggestedAs}: ${missText(c.text)}`);
}
