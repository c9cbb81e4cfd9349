import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { format } from "../../web/shared/locale.ts";
import { seriousViolations } from "../support/axe.ts";
import { uiStrings } from "../support/ui-strings.ts";

/**
 * The agent console in its three languages, at 360 px, by keyboard alone and under axe-core, in
 * headless Chromium against the real local server (embedded store). Two users wait in the queue;
 * screenshots go to test-output/. Needs Debian's `chromium`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP) console.warn(`console locale browser test skipped: no Chromium at ${CHROMIUM}; CI fails instead`);

const OUTPUT = join(import.meta.dirname, "..", "..", "test-output");
const LOCALES = [
  { locale: "zh-Hans", tag: "zh-CN" },
  { locale: "zh-Hant", tag: "zh-TW" },
  { locale: "en", tag: "en-US" },
] as const;
const EN = uiStrings("console", "en");
const HANT = uiStrings("console", "zh-Hant");
const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
// biome-ignore lint/suspicious/noExplicitAny: JSON answers the test reads freely
type Json = any;

describe.skipIf(SKIP)("the agent console's languages, small screens and accessibility", () => {
  let server: LocalServer;
  let browser: Browser;
  let token: string;
  const waiting: { id: string; at: string }[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    configureLog({ level: "error" });
    server = await startLocalServer({ port: 0, host: "127.0.0.1", tableName: "guardline-console-locales" });
    token = (await createAgent(agentRuntime(runtime()).agents, { name: "Mei", role: "agent" })).token;
    for (const [i, text] of ["我要转人工客服", "請幫我轉真人客服"].entries()) {
      const response = await fetch(new URL("web/messages", server.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionId: `console-locales-${i}-abcdefghijklmnopq`, text }),
      });
      const answer = (await response.json()) as Json;
      expect(answer.status).toBe("waiting");
      const detail = (await (
        await fetch(new URL(`agent/conversations/${answer.conversationId}`, server.url), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as Json;
      waiting.push({ id: answer.conversationId, at: detail.messages[0].at });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
    mkdirSync(OUTPUT, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(options: BrowserContextOptions): Promise<{ page: Page; errors: string[] }> {
    // bypassCSP only lets the test inject axe-core; the page's own CSP is checked by the other tests.
    const context = await browser.newContext({ bypassCSP: true, ...options });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    const response = await page.goto(new URL("/console", server.url).toString());
    expect(response?.status()).toBe(200);
    return { page, errors };
  }

  async function signIn(page: Page, T: typeof EN): Promise<void> {
    await page.getByLabel(T.tokenLabel, { exact: true }).fill(token);
    await page.getByRole("button", { name: T.signIn, exact: true }).click();
    await page.getByRole("button", { name: T.signOut, exact: true }).waitFor();
  }

  const scrollWidth = (page: Page) =>
    page.evaluate("document.documentElement.scrollWidth") as Promise<number>;

  for (const { locale, tag } of LOCALES) {
    it(`speaks ${locale} to a browser set to ${tag}`, async () => {
      const T = uiStrings("console", locale);
      const { page, errors } = await open({ ...LAPTOP, locale: tag });

      await page.getByRole("heading", { name: T.loginTitle, exact: true }).waitFor();
      expect(await page.evaluate("document.documentElement.lang")).toBe(locale);
      expect(await page.locator("#login-language").inputValue()).toBe(locale);
      await signIn(page, T);
      await page.getByRole("heading", { name: T.queue, exact: true }).waitFor();
      await page.getByRole("heading", { name: T.mine, exact: true }).waitFor();
      await page.getByText(T.choose, { exact: true }).waitFor();
      const rows = page.getByRole("list", { name: T.queue }).getByRole("button");
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
      await rows.first().click();
      await page.getByRole("button", { name: T.claim, exact: true }).waitFor();
      await page.getByText(T.claimFirst, { exact: true }).waitFor();
      await page
        .getByRole("log", { name: T.transcript })
        .getByRole("article", { name: T.fromUser })
        .first()
        .waitFor();
      expect(await page.title()).toBe(`(2) ${T.title} · ${T.brand}`);
      await page.screenshot({ path: join(OUTPUT, `console-${locale}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  it("switches language from the header, everything on screen with it, and remembers the choice", async () => {
    const { page, errors } = await open({ ...LAPTOP, locale: "en-US" });
    await signIn(page, EN);
    await page.getByRole("list", { name: EN.queue }).getByRole("button").first().click();
    await page.getByText(EN.statusWaiting, { exact: true }).waitFor();

    await page.getByRole("combobox", { name: EN.language, exact: true }).selectOption("zh-Hant");

    await page.getByRole("heading", { name: HANT.queue, exact: true }).waitFor();
    await page.getByText(HANT.statusWaiting, { exact: true }).waitFor();
    await page.getByRole("button", { name: HANT.claim, exact: true }).waitFor();
    await page.getByRole("textbox", { name: HANT.replyLabel }).waitFor();
    expect(
      await page
        .getByRole("log", { name: HANT.transcript })
        .getByRole("article", { name: HANT.fromUser })
        .count(),
    ).toBe(1);
    expect(await page.evaluate("document.documentElement.lang")).toBe("zh-Hant");
    expect(await page.getByText(EN.statusWaiting, { exact: true }).count()).toBe(0);

    // A reload keeps the language (localStorage) and the session (sessionStorage).
    await page.reload();
    await page.getByRole("heading", { name: HANT.queue, exact: true }).waitFor();
    await page.getByRole("button", { name: HANT.signOut, exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows times in the agent's time zone and says which", async () => {
    const { page, errors } = await open({ ...LAPTOP, locale: "en-US", timezoneId: "Asia/Taipei" });
    await signIn(page, EN);
    await page.getByText(format(EN.timesIn, { zone: "Asia/Taipei" }), { exact: true }).waitFor();
    const first = waiting[0];
    if (!first) throw new Error("no waiting conversation");
    const row = page
      .getByRole("list", { name: EN.queue })
      .getByRole("button", { name: new RegExp(`#${first.id.slice(0, 6)}`) });
    await row.click();
    const message = page
      .getByRole("log", { name: EN.transcript })
      .getByRole("article", { name: EN.fromUser });
    await message.first().waitFor();
    const clock = (timeZone: string) =>
      new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit" }).format(
        new Date(first.at),
      );
    const shown = (await message.first().textContent()) ?? "";
    expect(shown).toContain(clock("Asia/Taipei"));
    expect(shown).not.toContain(clock("UTC"));
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("works at 360 px: one column, the lists or the conversation, no sideways scrolling", async () => {
    const T = uiStrings("console", "zh-Hans");
    const { page, errors } = await open({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
    });
    await page.getByRole("heading", { name: T.loginTitle, exact: true }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(OUTPUT, "console-360-sign-in.png") });

    await signIn(page, T);
    const rows = page.getByRole("list", { name: T.queue }).getByRole("button");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(OUTPUT, "console-360-lists.png") });

    await rows.first().click();
    const back = page.getByRole("button", { name: T.allConversations, exact: true });
    await back.waitFor();
    await page.getByRole("button", { name: T.claim, exact: true }).waitFor();
    expect(await rows.first().isVisible()).toBe(false);
    expect(await page.getByRole("textbox", { name: T.replyLabel }).isVisible()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(OUTPUT, "console-360.png") });

    await back.click();
    await expect.poll(() => rows.first().isVisible()).toBe(true);
    expect(await back.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("has no serious or critical axe-core violations, signed out and in, light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page } = await open({ ...LAPTOP, locale: "en-US", colorScheme });
      await page.getByRole("heading", { name: EN.loginTitle, exact: true }).waitFor();
      expect(await seriousViolations(page), `sign-in, ${colorScheme}`).toEqual([]);
      await signIn(page, EN);
      await page.getByRole("list", { name: EN.queue }).getByRole("button").first().click();
      await page.getByRole("button", { name: EN.claim, exact: true }).waitFor();
      await page.getByRole("log", { name: EN.transcript }).getByRole("article").first().waitFor();
      expect(await seriousViolations(page), `console, ${colorScheme}`).toEqual([]);
      await page.context().close();
    }
  }, 90_000);

  it("is usable by keyboard alone: sign in, open, claim and reply", async () => {
    const { page, errors } = await open({ ...LAPTOP, locale: "en-US" });
    // The token field has focus when the page opens.
    await page.keyboard.type(token);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: EN.signOut, exact: true }).waitFor();
    const rows = page.getByRole("list", { name: EN.queue }).getByRole("button");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);

    let onRow = false;
    for (let i = 0; i < 20 && !onRow; i++) {
      await page.keyboard.press("Tab");
      onRow = (await page.evaluate("document.activeElement?.classList.contains('row') ?? false")) as boolean;
    }
    expect(onRow).toBe(true);
    await page.keyboard.press("Enter");
    // Not claimed yet: focus goes to the conversation's heading, Claim is the next stop after it.
    await expect.poll(() => page.evaluate("document.activeElement?.id")).toBe("conv-title");
    let onClaim = false;
    for (let i = 0; i < 5 && !onClaim; i++) {
      await page.keyboard.press("Tab");
      onClaim = (await page.evaluate("document.activeElement?.id")) === "claim";
    }
    expect(onClaim).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate("document.activeElement?.id")).toBe("box");
    await page.keyboard.type("您好，我是客服 Mei。");
    await page.keyboard.press("Enter");
    await page
      .getByRole("log", { name: EN.transcript })
      .getByRole("article", { name: "Mei", exact: true })
      .getByText("您好，我是客服 Mei。", { exact: true })
      .waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
