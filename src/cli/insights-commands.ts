import { parseArgs } from "node:util";
import { agentRuntime } from "../app/agents.ts";
import { checkedRange, rangeQuerySchema } from "../app/insights-http.ts";
import { runtime } from "../app/runtime.ts";
import type { DurationFigures, Insights, Rate, SliceFigures } from "../core/insights.ts";
import { validate } from "../validate.ts";
import { withStore } from "./agent-commands.ts";

/** The operator at the terminal is an admin: the CLI already holds the store's credentials. */
const OPERATOR = { id: "cli", name: "cli", role: "admin" as const };

/** `insights [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: the figures of GET /agent/insights. */
export async function insightsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } },
  });
  const query = validate(rangeQuerySchema, { from: values.from, to: values.to }, "options");
  const range = checkedRange(query);
  const insights = await withStore(() => agentRuntime(runtime()).insights.insights(OPERATOR, range));
  console.log(values.json ? JSON.stringify(insights, null, 2) : formatInsights(insights));
}

const percent = (r: Rate) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
const seconds = (s: Rate) =>
  s === null ? "—" : s < 120 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`;

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ""))));
  return cells
    .map((r, n) => {
      const line = r
        .map((c, i) => (i === 0 ? pad(c, widths[i] ?? 0) : padStart(c, widths[i] ?? 0)))
        .join("  ");
      return n === 0 ? `${line}\n${widths.map((w) => "─".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/** Terminal columns: CJK characters take two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}
const pad = (t: string, w: number) => t + " ".repeat(Math.max(0, w - width(t)));
const padStart = (t: string, w: number) => " ".repeat(Math.max(0, w - width(t))) + t;

function sliceRow(label: string, s: SliceFigures): (string | number)[] {
  return [
    label,
    s.conversations,
    s.userMessages,
    percent(s.containment),
    s.handoffs,
    percent(s.csat),
    `${s.helpful}/${s.notHelpful}`,
    `${s.pickedTopic}/${s.clarified}`,
    percent(s.outOfScopeRate),
  ];
}
const SLICE_HEAD = [
  "",
  "conversations",
  "messages",
  "containment",
  "handoffs",
  "CSAT",
  "👍/👎",
  "picked/clarified",
  "out of scope",
];

function durationRow(label: string, d: DurationFigures): (string | number)[] {
  return [label, d.count, seconds(d.meanSeconds), seconds(d.medianSeconds), seconds(d.p90Seconds)];
}

export function formatInsights(i: Insights): string {
  const sections = [
    `Insights ${i.from} … ${i.to} (UTC days)`,
    table(SLICE_HEAD, [
      sliceRow("all", i.totals),
      ...i.byChannel.map((c) => sliceRow(c.channel, c)),
      ...i.byLanguage.filter((l) => l.userMessages > 0).map((l) => sliceRow(l.language, l)),
    ]),
    table(["handoffs by reason", "count"], Object.entries(i.handoffsByReason)),
    table(
      ["intent", "messages", "mean confidence", "answered", "helpful rate"],
      i.intents.map((n) => [
        n.intent,
        n.messages,
        n.meanConfidence === null ? "—" : n.meanConfidence.toFixed(2),
        n.answered,
        percent(n.helpfulRate),
      ]),
    ),
    table(
      ["agent times", "count", "mean", "median", "p90"],
      [durationRow("first reply", i.agents.firstReply), durationRow("resolve", i.agents.resolve)],
    ),
    table(
      ["agent", "conversations", "claimed", "replies", "resolved"],
      i.agents.perAgent.map((a) => [a.name, a.conversations, a.claimed, a.replies, a.resolved]),
    ),
    `SLA escalations ${i.agents.escalations} · idle hand-backs ${i.agents.idleReturns} · hand-backs ${i.agents.handbacks}`,
    `Safety: secrets redacted ${
      Object.entries(i.safety.secretsRedacted)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "0"
    } · fake contacts called out ${i.safety.fakeContacts} (lookalike ${i.safety.lookalikes}, unlisted ${i.safety.unlisted}) · scam reports ${i.safety.scamReports}`,
  ];
  return sections.join("\n\n");
}
