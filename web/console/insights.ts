/**
 * The console's Insights view (admins only): figures from `GET /agent/insights`, charts drawn with
 * Chart.js (bundled by scripts/build-web.ts, no CDN), and the misses list from
 * `GET /agent/insights/misses` with a label picker that posts to
 * `/agent/conversations/{id}/messages/{messageId}/label`. The console's own script owns the session:
 * it announces sign-in and sign-out with a `guardline:session` event carrying the token and role, and
 * a change of language with `guardline:locale`. The strings are the console's (`ins_…` in
 * content/ui.yaml), read from the page's `#config` block. Everything from the server is data: the DOM
 * is built with `textContent` only.
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
import { make } from "../shared/dom.ts";
import { format, isLocale, type Locale, preferredLocale, readDataBlock, stringsOf } from "../shared/i18n.ts";
import { CONSOLE_KEYS, type ConsoleStrings, lookup } from "./strings.ts";

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

const REASONS: readonly HandoffReasonGroup[] = ["requested", "after_misses", "urgent", "scam"];
const PALETTE = ["#1f5bd8", "#17a673", "#e0892b", "#c62a1f", "#8a4fd1", "#2a9bb8", "#7a8694"];

/** Pure: a rate as a whole percentage, "—" when nothing was counted. */
export function percent(rate: Rate): string {
  return rate === null ? "\u2014" : `${Math.round(rate * 100)}%`;
}

/** Pure: seconds as "45 s", "12 min", "3.5 h" (in the locale's words); "—" when there is no figure. */
export function duration(seconds: Rate, T: ConsoleStrings): string {
  if (seconds === null) return "\u2014";
  if (seconds < 90) return format(T.ins_seconds, { n: Math.round(seconds) });
  if (seconds < 90 * 60) return format(T.ins_minutes, { n: Math.round(seconds / 60) });
  return format(T.ins_hours, { n: (seconds / 3600).toFixed(1) });
}

/** Pure: the UTC day `days` before `now`, as YYYY-MM-DD. */
export function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Pure: the chart configurations for a range's figures (what the test reads back, too). */
export function chartConfigs(
  data: InsightsData,
  T: ConsoleStrings,
  intentLabels: ReadonlyMap<string, string> = new Map(),
): Record<string, ChartConfiguration> {
  const counts = { scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } } };
  // Agent times in minutes, or in seconds while every figure is under two minutes.
  const times = [data.agents.firstReply, data.agents.resolve].flatMap((d) => [d.medianSeconds, d.p90Seconds]);
  const inMinutes = times.some((s) => s !== null && s >= 120);
  const unit = inMinutes ? T.ins_unitMinutes : T.ins_unitSeconds;
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
  return {
    rates: {
      type: "line",
      data: {
        labels: days,
        datasets: [
          rateLine(
            T.ins_containmentPct,
            data.byDay.map((d) => d.containment),
            PALETTE[0] as string,
          ),
          rateLine(
            T.ins_csatPct,
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
            label: T.ins_conversations,
            data: data.byDay.map((d) => d.conversations),
            backgroundColor: PALETTE[0],
          },
          { label: T.ins_handoffs, data: data.byDay.map((d) => d.handoffs), backgroundColor: PALETTE[2] },
        ],
      },
      options: counts,
    },
    reasons: {
      type: "doughnut",
      data: {
        labels: REASONS.map((r) => lookup(T, "ins_reason", r) ?? r),
        datasets: [{ data: REASONS.map((r) => data.handoffsByReason[r] ?? 0), backgroundColor: PALETTE }],
      },
    },
    intents: {
      type: "bar",
      data: {
        labels: top.map((i) => intentLabels.get(i.intent) ?? i.intent),
        datasets: [{ label: T.ins_messages, data: top.map((i) => i.messages), backgroundColor: PALETTE[0] }],
      },
      options: { ...counts, indexAxis: "y" },
    },
    languages: {
      type: "bar",
      data: {
        labels: data.byLanguage.map((l) => lookup(T, "language", l.language) ?? l.language),
        datasets: [
          {
            label: T.ins_conversations,
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
        labels: [T.ins_firstReply, T.ins_resolve],
        datasets: (["medianSeconds", "p90Seconds"] as const).map((key, i) => ({
          label: format(key === "medianSeconds" ? T.ins_median : T.ins_p90, { unit }),
          data: [data.agents.firstReply[key], data.agents.resolve[key]].map((s) =>
            s === null ? null : inMinutes ? Math.round(s / 6) / 10 : Math.round(s),
          ),
          backgroundColor: PALETTE[i === 0 ? 4 : 6],
        })),
      },
    },
  };
}

type MissItem = MissGroup["items"][number];

class InsightsView {
  private session: SessionDetail | null = null;
  private readonly charts = new Map<string, Chart>();
  private shown: { data: InsightsData; misses: MissesData } | null = null;
  private readonly form = make("form", "ins-range");
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly title = make("h2", "ins-title");
  private readonly status = make("p", "ins-status");
  private readonly headline = make("dl", "ins-headline");
  private readonly grid = make("div", "ins-grid");
  private readonly missesTitle = make("h3", "ins-subtitle");
  private readonly misses = make("div", "ins-misses");

  constructor(
    private readonly root: HTMLElement,
    private readonly tab: HTMLButtonElement,
    private readonly back: HTMLButtonElement,
    private readonly workspace: HTMLElement,
    private T: ConsoleStrings,
  ) {
    const today = new Date();
    this.from = this.dateInput("ins-from", dayBefore(today, 6));
    this.to = this.dateInput("ins-to", dayBefore(today, 0));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.load();
    });
    this.status.setAttribute("role", "status");
    const head = make("div", "ins-head");
    head.append(this.title, this.form);
    root.replaceChildren(head, this.status, this.headline, this.grid, this.missesTitle, this.misses);
    this.labelForm();
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

  /** Another language: the form's labels, and what is shown drawn again. */
  setStrings(T: ConsoleStrings): void {
    this.T = T;
    this.labelForm();
    if (this.shown && !this.root.hidden) {
      this.render(this.shown.data, this.shown.misses);
      this.status.textContent = `${this.shown.data.from} \u2013 ${this.shown.data.to}`;
    }
  }

  private labelForm(): void {
    const { T } = this;
    const show = make("button", "btn primary", T.ins_show);
    show.type = "submit";
    this.form.replaceChildren(
      this.fieldLabel("ins-from", T.ins_from),
      this.from,
      this.fieldLabel("ins-to", T.ins_to),
      this.to,
      show,
    );
    this.title.textContent = T.insights;
    this.missesTitle.textContent = T.ins_unanswered;
  }

  private fieldLabel(id: string, text: string): HTMLLabelElement {
    const label = make("label", "ins-field", text);
    label.htmlFor = id;
    return label;
  }

  private dateInput(id: string, value: string): HTMLInputElement {
    const input = make("input");
    input.type = "date";
    input.id = id;
    input.value = value;
    input.required = true;
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
    this.shown = null;
  }

  private async request<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        Accept: "application/json",
        Authorization: `Bearer ${this.session?.token ?? ""}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: "omit",
      cache: "no-store",
    });
    const data = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!response.ok) throw new Error(data?.error?.message ?? this.T.ins_error);
    return data as T;
  }

  private async load(): Promise<void> {
    const query = `?from=${encodeURIComponent(this.from.value)}&to=${encodeURIComponent(this.to.value)}`;
    this.status.textContent = this.T.ins_loading;
    this.root.setAttribute("aria-busy", "true");
    try {
      const [{ insights }, misses] = await Promise.all([
        this.request<{ insights: InsightsData }>(`/agent/insights${query}`),
        this.request<MissesData>(`/agent/insights/misses${query}`),
      ]);
      this.shown = { data: insights, misses };
      this.render(insights, misses);
      this.status.textContent = `${insights.from} \u2013 ${insights.to}`;
      this.root.dataset.loaded = `${insights.from}/${insights.to}`;
    } catch (error) {
      this.status.textContent = error instanceof Error && error.message ? error.message : this.T.ins_error;
    } finally {
      this.root.removeAttribute("aria-busy");
    }
  }

  private render(data: InsightsData, misses: MissesData): void {
    const { T } = this;
    const t = data.totals;
    const figures: [string, string][] = [
      [T.ins_conversations, String(t.conversations)],
      [T.ins_userMessages, String(t.userMessages)],
      [T.ins_containment, percent(t.containment)],
      [T.ins_csat, percent(t.csat)],
      [T.ins_handoffs, String(t.handoffs)],
      [T.ins_outOfScope, percent(t.outOfScopeRate)],
      [T.ins_firstReplyMedian, duration(data.agents.firstReply.medianSeconds, T)],
      [T.ins_resolveMedian, duration(data.agents.resolve.medianSeconds, T)],
      [T.ins_fakeContacts, String(data.safety.fakeContacts)],
      [T.ins_scamReports, String(data.safety.scamReports)],
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
    const intentLabels = new Map(misses.intents.map((i) => [i.id, i.label]));
    const cards: HTMLElement[] = [];
    for (const [key, config] of Object.entries(chartConfigs(data, T, intentLabels))) {
      const title = lookup(T, "ins_chart", key) ?? key;
      const card = make("figure", "ins-card");
      const box = make("div", "ins-canvas");
      const canvas = make("canvas");
      canvas.dataset.chart = key;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", title);
      box.append(canvas);
      card.append(make("figcaption", "", title), box);
      cards.push(card);
      config.options = { ...config.options, responsive: true, maintainAspectRatio: false, animation: false };
      // The plotted numbers, readable without the canvas (tests compare them with the API's).
      canvas.dataset.values = JSON.stringify(config.data.datasets.map((d) => d.data));
      this.charts.set(key, new Chart(canvas, config));
    }
    this.grid.replaceChildren(...cards);
    this.renderMisses(misses);
  }

  private renderMisses(data: MissesData): void {
    if (data.groups.length === 0) {
      this.misses.replaceChildren(make("p", "ins-empty", this.T.ins_noMisses));
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

  private missItem(item: MissItem, intents: MissesData["intents"]): HTMLElement {
    const { T } = this;
    const li = make("li", "ins-miss-item");
    const select = make("select");
    const id = `label-${item.conversationId}-${item.messageId}`.replace(/[^A-Za-z0-9_-]/g, "_");
    select.id = id;
    select.dataset.conversation = item.conversationId;
    select.dataset.message = item.messageId;
    const label = make("label", "sr-only", format(T.ins_intentFor, { text: item.text }));
    label.htmlFor = id;
    const none = make("option", "", T.ins_labelAs);
    none.value = "";
    select.append(none, ...intents.map((i) => Object.assign(make("option", "", i.label), { value: i.id })));
    const done = make("span", "ins-labelled");
    done.setAttribute("role", "status");
    select.addEventListener("change", () => void this.saveLabel(item, select, done));
    const reason = lookup(T, "ins_miss", item.reason) ?? item.reason;
    li.append(
      make("span", "ins-miss-text", item.text),
      make("span", "meta", `${reason} \u00b7 ${item.language}`),
      label,
      select,
      done,
    );
    return li;
  }

  private async saveLabel(item: MissItem, select: HTMLSelectElement, done: HTMLElement): Promise<void> {
    if (select.value === "") return;
    select.disabled = true;
    done.textContent = this.T.ins_saving;
    const path = `/agent/conversations/${encodeURIComponent(item.conversationId)}/messages/${encodeURIComponent(item.messageId)}/label`;
    try {
      await this.request(path, { intent: select.value });
      done.textContent = this.T.ins_labelled;
    } catch {
      done.textContent = this.T.ins_notSaved;
    } finally {
      select.disabled = false;
    }
  }
}

/** The locale the console script chose (it says so with `guardline:locale`; until then the same rule). */
function initialLocale(): Locale {
  const lang = document.documentElement.lang;
  return isLocale(lang) ? lang : preferredLocale(navigator.languages);
}

const config = readDataBlock(document, "config") as { strings?: unknown } | undefined;
const ALL = stringsOf(config?.strings, CONSOLE_KEYS);
const root = document.getElementById("insights");
const tab = document.getElementById("tab-insights");
const back = document.getElementById("tab-conversations");
const workspace = document.getElementById("workspace");
if (ALL && root && tab instanceof HTMLButtonElement && back instanceof HTMLButtonElement && workspace) {
  const view = new InsightsView(root, tab, back, workspace, ALL[initialLocale()]);
  document.addEventListener("guardline:locale", (event) => {
    const locale = (event as CustomEvent<unknown>).detail;
    if (isLocale(locale)) view.setStrings(ALL[locale]);
  });
}
