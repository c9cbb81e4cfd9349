import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { uiStrings } from "../support/ui-strings.ts";

/**
 * The console's Insights view in headless Chromium against the real local server (embedded store):
 * a small scripted day (helpful and unhelpful answers, a handoff an agent claims, answers and
 * resolves, a conversation that misses twice), then an admin opens Insights. The charts must plot
 * exactly the API's figures, the page must run under its CSP without errors, a label chosen in the
 * misses list must reach the audit log, and an `agent` must not see the tab. Needs Debian's `chromium`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP) console.warn(`insights browser test skipped: no Chromium at ${CHROMIUM}; CI fails instead`);

const OUTPUT = join(import.meta.dirname, "..", "..", "test-output");
const C = uiStrings("console", "en");
// biome-ignore lint/suspicious/noExplicitAny: JSON answers the test reads freely
type Json = any;

describe.skipIf(SKIP)("the console's Insights view in a browser", () => {
  let server: LocalServer;
  let browser: Browser;
  let admin: string;
  let agent: string;
  let sessions = 0;
  const session = () => `insights-browser-${String(sessions++).padStart(3, "0")}-abcdefghijkl`;
  const today = new Date().toISOString().slice(0, 10);

  async function call(method: string, path: string, token: string, body?: unknown): Promise<Json> {
    const response = await fetch(new URL(path, server.url), {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status, path).toBe(200);
    return response.json();
  }

  async function web(sessionId: string, content: { text: string } | { buttonId: string }): Promise<Json> {
    const response = await fetch(new URL("web/messages", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId, ...content }),
    });
    expect(response.status).toBe(200);
    return response.json();
  }
  const buttons = (answer: Json): string[] =>
    answer.replies.flatMap((r: Json) => (r.buttons ?? []).map((b: Json) => b.id));

  async function answered(text: string, helpful: boolean): Promise<void> {
    const id = session();
    const answer = await web(id, { text });
    const feedback = buttons(answer).find((b) => b.startsWith(helpful ? "fb:y:" : "fb:n:"));
    expect(feedback, text).toBeDefined();
    await web(id, { buttonId: feedback ?? "" });
  }

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    configureLog({ level: "error" });
    server = await startLocalServer({ port: 0, host: "127.0.0.1", tableName: "guardline-insights-browser" });
    const agents = agentRuntime(runtime()).agents;
    admin = (await createAgent(agents, { name: "Ada", role: "admin" })).token;
    agent = (await createAgent(agents, { name: "Dana", role: "agent" })).token;

    for (const text of ["怎么提现到银行卡", "How do I withdraw money to my bank?", "充值没到账"]) {
      await answered(text, true);
    }
    await answered("转账失败了", false);
    const human = await web(session(), { text: "转人工" });
    expect(human.status).toBe("waiting");
    const missing = session();
    expect(buttons(await web(missing, { text: "the thing with the stuff" }))).toContain("other");
    expect(buttons(await web(missing, { text: "asdf qwer zxcv" }))).toContain("human");
    const path = `agent/conversations/${human.conversationId}`;
    await call("POST", `${path}/claim`, agent);
    await call("POST", `${path}/messages`, agent, { text: "您好，我来帮您。" });
    await call("POST", `${path}/resolve`, agent);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(token: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, locale: "en-US" });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(new URL("/console", server.url).toString());
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'sha256-[^']+' 'sha256-/);
    await page.getByLabel(C.tokenLabel, { exact: true }).fill(token);
    await page.getByRole("button", { name: C.signIn, exact: true }).click();
    await page.getByRole("button", { name: C.signOut, exact: true }).waitFor();
    return { page, errors };
  }

  it("draws the API's figures as charts, lists the misses, and labels one into the audit log", async () => {
    const { insights } = await call("GET", `agent/insights?from=${today}&to=${today}`, admin);
    const { page, errors } = await signedIn(admin);

    await page.getByRole("button", { name: C.insights, exact: true }).click();
    const view = page.getByRole("region", { name: C.insights });
    await expect.poll(() => view.getAttribute("data-loaded")).toMatch(/^\d{4}-\d\d-\d\d\//);
    // The default range is the last 7 days; today's figures are the whole script.
    const range = (await view.getAttribute("data-loaded")) ?? "";
    expect(range.endsWith(`/${today}`)).toBe(true);

    const values = async (chart: string): Promise<unknown> =>
      JSON.parse((await page.locator(`canvas[data-chart="${chart}"]`).getAttribute("data-values")) ?? "null");
    const todayIndex = 6;
    const rates = (await values("rates")) as (number | null)[][];
    expect(rates[0]?.[todayIndex]).toBeCloseTo(insights.totals.containment * 100, 1);
    expect(rates[1]?.[todayIndex]).toBeCloseTo(insights.totals.csat * 100, 1);
    const volume = (await values("volume")) as number[][];
    expect(volume[0]?.[todayIndex]).toBe(insights.totals.conversations);
    expect(volume[1]?.[todayIndex]).toBe(insights.totals.handoffs);
    expect(insights.totals.conversations).toBe(6);
    expect(insights.totals.handoffs).toBe(1);
    expect(await values("reasons")).toEqual([[1, 0, 0, 0]]);
    const intents = (await values("intents")) as number[][];
    expect(intents[0]?.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect((await values("agents")) as unknown[][]).toHaveLength(2);
    expect(((await values("agents")) as (number | null)[][])[0]?.[0]).not.toBeNull();

    // Each canvas has pixels drawn on it, not just a size.
    // (A string: this file is typed for Node, without the DOM.)
    const painted = (await page.evaluate(`[...document.querySelectorAll("canvas")].map((canvas) => {
      const context = canvas.getContext("2d");
      if (!context || canvas.width === 0) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque;
    })`)) as number[];
    expect(painted).toHaveLength(6);
    for (const pixels of painted) expect(pixels).toBeGreaterThan(500);

    await expect.poll(() => view.getByText("Containment", { exact: true }).isVisible()).toBe(true);
    const misses = view.getByRole("listitem").filter({ hasText: "asdf qwer zxcv" }).first();
    await misses.waitFor();
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, "insights.png"), fullPage: true });

    // Label the keyboard-noise miss as out of scope from the list.
    await view.getByLabel("Intent for: asdf qwer zxcv", { exact: true }).selectOption("out_of_scope");
    await view.getByText("Labelled", { exact: true }).waitFor();
    const { entries } = await call("GET", "agent/audit", admin);
    expect(
      entries.some((e: Json) => e.action === "label" && String(e.detail).endsWith("→ out_of_scope")),
    ).toBe(true);
    expect(errors).toEqual([]);

    // Back to the conversations.
    await page.getByRole("button", { name: C.conversations, exact: true }).click();
    await page.getByRole("heading", { name: C.queue, exact: true }).waitFor();
    expect(await view.isHidden()).toBe(true);
  }, 90_000);

  it("shows no Insights tab to an agent", async () => {
    const { page, errors } = await signedIn(agent);
    await page.getByRole("heading", { name: C.queue, exact: true }).waitFor();
    expect(await page.getByRole("button", { name: C.insights, exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
