/**
 * The console's Insights view (admins only): figures from `GET /agent/insights`, charts drawn with
 * Chart.js (bundled by scripts/build-web.ts, no CDN), and the misses list from
 * `GET /agent/insights/misses` with a label picker that posts to
 * `/agent/conversations/{id}/messages/{messageId}/label`. The console's own script owns the session:
 * it announces sign-in and sign-out with a `guardline:session` event carrying the token and role.
 * Everything from the server is data: the DOM is built with `textContent` only.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import type { HandoffReasonGroup, Insights } from "../../src/core/insights.ts";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** What the console script sends with `guardline:session` (null detail: signed out). */
export interface SessionDetail {
  token: string;
  role: string;
}

/** What `GET /agent/insights` answers (the type only: nothing of src/ is bundled). */
export type InsightsData = Insights;
type Rate = number | null;
interface MissGroup {
  representative: string;
  count: number;
  items: { conversationId: string; messageId: string; reason: string; language: string; text: string }[];
}
interface MissesData {
  groups: MissGroup[];
  intents: { id: string; label: string }[];
}

const REASONS: Record<HandoffReasonGroup, string> = {
  requested: "Asked for a human",
  after_misses: "After misses",
  urgent: "Urgent / safety",
  scam: "Scam",
};
const LANGUAGES: Record<string, string> = {
  "zh-Hans": "Simplified Chinese",
  "zh-Hant": "Traditional Chinese",
  en: "English",
};
const MISS_REASONS: Record<string, string> = {
  low_confidence: "low confidence",
  out_of_scope: "out of scope",
  not_helpful: "not helpful",
};
const PALETTE = ["#1f5bd8", "#17a673", "#e0892b", "#c62a1f", "#8a4fd1", "#2a9bb8", "#7a8694"];

/** Pure: a rate as a whole percentage, "—" when nothing was counted. */
export function percent(rate: Rate): string {
  return rate === null ? "\u2014" : `${Math.round(rate * 100)}%`;
}

/** Pure: seconds as "45 s", "12 min", "3.5 h"; "—" when there is no figure. */
export function duration(seconds: Rate): string {
  if (seconds === null) return "\u2014";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Pure: the UTC day `days` before `now`, as YYYY-MM-DD. */
export function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Pure: the chart configurations for a range's figures (what the test reads back, too). */
export function chartConfigs(
  data: InsightsData,
  intentLabels: ReadonlyMap<string, string> = new Map(),
): Record<string, ChartConfiguration> {
  const counts = { scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } } };
  // Agent times in minutes, or in seconds while every figure is under two minutes.
  const times = [data.agents.firstReply, data.agents.resolve].flatMap((d) => [d.medianSeconds, d.p90Seconds]);
  const inMinutes = times.some((s) => s !== null && s >= 120);
  const unit = inMinutes ? "min" : "s";
  const days = data.byDay.map((d) => d.day.slice(5));
  const rateLine = (label: string, values: Rate[], color: string) => ({
    label,
    data: values.map((v) => (v === null ? null : Math.round(v * 1000) / 10)),
    borderColor: color,
    backgroundColor: color,
    spanGaps: true,
    tension: 0.25,
  });
  const top = [...data.intents].sort((a, b) => b.messages - a.messages).slice(0, 10);
  const reasons = Object.keys(REASONS) as HandoffReasonGroup[];
  return {
    rates: {
      type: "line",
      data: {
        labels: days,
        datasets: [
          rateLine(
            "Containment %",
            data.byDay.map((d) => d.containment),
            PALETTE[0] as string,
          ),
          rateLine(
            "CSAT %",
            data.byDay.map((d) => d.csat),
            PALETTE[1] as string,
          ),
        ],
      },
      options: { scales: { y: { min: 0, max: 100 } } },
    },
    volume: {
      type: "bar",
      data: {
        labels: days,
        datasets: [
          {
            label: "Conversations",
            data: data.byDay.map((d) => d.conversations),
            backgroundColor: PALETTE[0],
          },
          { label: "Handoffs", data: data.byDay.map((d) => d.handoffs), backgroundColor: PALETTE[2] },
        ],
      },
      options: counts,
    },
    reasons: {
      type: "doughnut",
      data: {
        labels: reasons.map((r) => REASONS[r]),
        datasets: [{ data: reasons.map((r) => data.handoffsByReason[r] ?? 0), backgroundColor: PALETTE }],
      },
    },
    intents: {
      type: "bar",
      data: {
        labels: top.map((i) => intentLabels.get(i.intent) ?? i.intent),
        datasets: [{ label: "Messages", data: top.map((i) => i.messages), backgroundColor: PALETTE[0] }],
      },
      options: { ...counts, indexAxis: "y" },
    },
    languages: {
      type: "bar",
      data: {
        labels: data.byLanguage.map((l) => LANGUAGES[l.language] ?? l.language),
        datasets: [
          {
            label: "Conversations",
            data: data.byLanguage.map((l) => l.conversations),
            backgroundColor: PALETTE[5],
          },
        ],
      },
      options: counts,
    },
    agents: {
      type: "bar",
      data: {
        labels: ["First reply", "Resolve"],
        datasets: (["medianSeconds", "p90Seconds"] as const).map((key, i) => ({
          label: `${key === "medianSeconds" ? "Median" : "90th percentile"} (${unit})`,
          data: [data.agents.firstReply[key], data.agents.resolve[key]].map((s) =>
            s === null ? null : inMinutes ? Math.round(s / 6) / 10 : Math.round(s),
          ),
          backgroundColor: PALETTE[i === 0 ? 4 : 6],
        })),
      },
    },
  };
}

const CHART_TITLES: Record<string, string> = {
  rates: "Containment and CSAT by day",
  volume: "Conversations and handoffs by day",
  reasons: "Handoffs by reason",
  intents: "Top intents",
  languages: "Conversations by language",
  agents: "Agent response times",
};

function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string | number,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

class InsightsView {
  private session: SessionDetail | null = null;
  private readonly charts = new Map<string, Chart>();
  private readonly root: HTMLElement;
  private readonly tab: HTMLButtonElement;
  private readonly back: HTMLButtonElement;
  private readonly workspace: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly headline: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly misses: HTMLElement;

  constructor(root: HTMLElement, tab: HTMLButtonElement, back: HTMLButtonElement, workspace: HTMLElement) {
    this.root = root;
    this.tab = tab;
    this.back = back;
    this.workspace = workspace;
    const form = make("form", "ins-range");
    const today = new Date();
    this.from = this.dateInput("ins-from", "From", dayBefore(today, 6), form);
    this.to = this.dateInput("ins-to", "To", dayBefore(today, 0), form);
    const show = make("button", "btn primary", "Show");
    show.type = "submit";
    form.append(show);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.load();
    });
    const title = make("h2", "ins-title", "Insights");
    this.status = make("p", "ins-status");
    this.status.setAttribute("role", "status");
    this.headline = make("dl", "ins-headline");
    this.grid = make("div", "ins-grid");
    const missesTitle = make("h3", "ins-subtitle", "Unanswered questions");
    this.misses = make("div", "ins-misses");
    const head = make("div", "ins-head");
    head.append(title, form);
    root.replaceChildren(head, this.status, this.headline, this.grid, missesTitle, this.misses);
    tab.addEventListener("click", () => this.open());
    back.addEventListener("click", () => this.close());
    document.addEventListener("guardline:session", (event) => {
      const detail = (event as CustomEvent<SessionDetail | null>).detail;
      this.session = detail;
      const admin = detail?.role === "admin";
      tab.hidden = !admin;
      if (!admin) this.close();
    });
  }

  private dateInput(id: string, label: string, value: string, form: HTMLElement): HTMLInputElement {
    const wrap = make("label", "ins-field", label);
    wrap.htmlFor = id;
    const input = make("input");
    input.type = "date";
    input.id = id;
    input.value = value;
    input.required = true;
    form.append(wrap, input);
    return input;
  }

  private open(): void {
    this.workspace.hidden = true;
    this.root.hidden = false;
    this.tab.hidden = true;
    this.back.hidden = false;
    void this.load();
  }

  private close(): void {
    this.root.hidden = true;
    this.workspace.hidden = false;
    this.back.hidden = true;
    this.tab.hidden = this.session?.role !== "admin";
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(path, {
      headers: { Accept: "application/json", Authorization: `Bearer ${this.session?.token ?? ""}` },
      credentials: "omit",
      cache: "no-store",
    });
    const data = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!response.ok) throw new Error(data?.error?.message ?? `HTTP ${response.status}`);
    return data as T;
  }

  private async load(): Promise<void> {
    const query = `?from=${encodeURIComponent(this.from.value)}&to=${encodeURIComponent(this.to.value)}`;
    this.status.textContent = "Loading\u2026";
    this.root.setAttribute("aria-busy", "true");
    try {
      const [{ insights }, misses] = await Promise.all([
        this.get<{ insights: InsightsData }>(`/agent/insights${query}`),
        this.get<MissesData>(`/agent/insights/misses${query}`),
      ]);
      this.render(insights, new Map(misses.intents.map((i) => [i.id, i.label])));
      this.renderMisses(misses);
      this.status.textContent = `${insights.from} \u2013 ${insights.to}`;
      this.root.dataset.loaded = `${insights.from}/${insights.to}`;
    } catch (error) {
      this.status.textContent = error instanceof Error ? error.message : "Something went wrong.";
    } finally {
      this.root.removeAttribute("aria-busy");
    }
  }

  private render(data: InsightsData, intentLabels: ReadonlyMap<string, string>): void {
    const t = data.totals;
    const figures: [string, string][] = [
      ["Conversations", String(t.conversations)],
      ["User messages", String(t.userMessages)],
      ["Containment", percent(t.containment)],
      ["CSAT", percent(t.csat)],
      ["Handoffs", String(t.handoffs)],
      ["Out of scope", percent(t.outOfScopeRate)],
      ["First agent reply (median)", duration(data.agents.firstReply.medianSeconds)],
      ["Time to resolve (median)", duration(data.agents.resolve.medianSeconds)],
      ["Fake contacts called out", String(data.safety.fakeContacts)],
      ["Scam reports", String(data.safety.scamReports)],
    ];
    this.headline.replaceChildren(
      ...figures.map(([label, value]) => {
        const item = make("div", "ins-figure");
        item.append(make("dt", "", label), make("dd", "", value));
        return item;
      }),
    );
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    Chart.defaults.color = dark ? "#c9d1da" : "#3c4652";
    Chart.defaults.borderColor = dark ? "#2a313a" : "#dde2e8";
    const cards: HTMLElement[] = [];
    for (const [key, config] of Object.entries(chartConfigs(data, intentLabels))) {
      const card = make("figure", "ins-card");
      const caption = make("figcaption", "", CHART_TITLES[key] ?? key);
      const box = make("div", "ins-canvas");
      const canvas = make("canvas");
      canvas.dataset.chart = key;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", CHART_TITLES[key] ?? key);
      box.append(canvas);
      card.append(caption, box);
      cards.push(card);
      config.options = {
        ...config.options,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
      };
      // The plotted numbers, readable without the canvas (tests compare them with the API's).
      canvas.dataset.values = JSON.stringify(config.data.datasets.map((d) => d.data));
      this.charts.set(key, new Chart(canvas, config));
    }
    this.grid.replaceChildren(...cards);
  }

  private renderMisses(data: MissesData): void {
    if (data.groups.length === 0) {
      this.misses.replaceChildren(make("p", "ins-empty", "No unanswered questions in this range."));
      return;
    }
    const list = make("ol", "ins-miss-list");
    for (const group of data.groups) {
      const li = make("li", "ins-miss");
      const top = make("div", "ins-miss-head");
      top.append(make("span", "ins-count", `\u00d7${group.count}`), make("q", "", group.representative));
      const items = make("ul", "ins-miss-items");
      for (const item of group.items.slice(0, 5)) items.append(this.missItem(item, data.intents));
      li.append(top, items);
      list.append(li);
    }
    this.misses.replaceChildren(list);
  }

  private missItem(item: MissGroup["items"][number], intents: MissesData["intents"]): HTMLElement {
    const li = make("li", "ins-miss-item");
    const select = make("select");
    const id = `label-${item.conversationId}-${item.messageId}`.replace(/[^A-Za-z0-9_-]/g, "_");
    select.id = id;
    select.dataset.conversation = item.conversationId;
    select.dataset.message = item.messageId;
    const label = make("label", "sr-only", `Intent for: ${item.text}`);
    label.htmlFor = id;
    const none = make("option", "", "Label as\u2026");
    none.value = "";
    select.append(none, ...intents.map((i) => Object.assign(make("option", "", i.label), { value: i.id })));
    const done = make("span", "ins-labelled");
    done.setAttribute("role", "status");
    select.addEventListener("change", () => void this.label(item, select, done));
    li.append(
      make("span", "ins-miss-text", item.text),
      make("span", "meta", `${MISS_REASONS[item.reason] ?? item.reason} \u00b7 ${item.language}`),
      label,
      select,
      done,
    );
    return li;
  }

  private async label(item: MissGroup["items"][number], select: HTMLSelectElement, done: HTMLElement) {
    if (select.value === "") return;
    select.disabled = true;
    done.textContent = "Saving\u2026";
    const path = `/agent/conversations/${encodeURIComponent(item.conversationId)}/messages/${encodeURIComponent(item.messageId)}/label`;
    try {
      const response = await fetch(path, {
        method: "POST",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          Authorization: `Bearer ${this.session?.token ?? ""}`,
        },
        body: JSON.stringify({ intent: select.value }),
        credentials: "omit",
        cache: "no-store",
      });
      done.textContent = response.ok ? "Labelled" : "Not saved";
    } catch {
      done.textContent = "Not saved";
    } finally {
      select.disabled = false;
    }
  }
}

const root = document.getElementById("insights");
const tab = document.getElementById("tab-insights");
const back = document.getElementById("tab-conversations");
const workspace = document.getElementById("workspace");
if (root && tab instanceof HTMLButtonElement && back instanceof HTMLButtonElement && workspace) {
  new InsightsView(root, tab, back, workspace);
}
