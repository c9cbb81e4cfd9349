import { existsSync } from "node:fs";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { CHAT_MAX_CHARS } from "../../src/channels/web/chat-page.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { startLocalServer } from "../../src/local/server.ts";
import { conversationIdFor } from "../../src/store/records.ts";
import { seriousViolations } from "../support/axe.ts";
import { uiStrings } from "../support/ui-strings.ts";

/**
 * The web chat page in headless Chromium against the real local server (in-memory store): a phone
 * user asks in Simplified Chinese, gets the numbered answer with "did this help?" buttons, presses
 * one, reloads and finds the conversation again. Needs Debian's `chromium` (apt-get install chromium).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP) {
  console.warn(
    `web chat browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium); CI fails instead`,
  );
}

const TEXT = uiStrings("chat", "zh-Hans");
const QUESTION = "忘记登录密码了怎么办";
const SESSION_ID = /^[A-Za-z0-9_-]{22,128}$/;
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
};

interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here too). */
  errors: string[];
  /** Bodies of the page's `POST /web/messages` requests, in order. */
  posts: Record<string, unknown>[];
  close(): Promise<void>;
}

describe.skipIf(SKIP)("web chat page in a browser", () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    server = await startLocalServer({ port: 0, host: "127.0.0.1" });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh phone-sized zh-CN browser context (so a fresh session) on the chat page. */
  async function openChat(options: BrowserContextOptions = {}): Promise<OpenedPage> {
    if (!browser || !server) throw new Error("browser or server did not start");
    const context = await browser.newContext({ ...PHONE, ...options });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    const posts: Record<string, unknown>[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/web/messages") {
        posts.push(request.postDataJSON() as Record<string, unknown>);
      }
    });
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    return { page, errors, posts, close: () => context.close() };
  }

  const messagesFrom = (page: Page, author: string) =>
    page.getByRole("log").getByRole("article", { name: author, exact: true });

  it("answers a Simplified Chinese question, takes the feedback and keeps the conversation on reload", async () => {
    // Prepare
    const { page, errors, posts, close } = await openChat();
    const box = page.getByRole("textbox", { name: TEXT.label });
    const send = page.getByRole("button", { name: TEXT.send, exact: true });
    const mine = messagesFrom(page, TEXT.you);
    const bots = messagesFrom(page, TEXT.bot);
    await page.getByText(TEXT.notice).waitFor();
    expect(await page.evaluate("document.documentElement.lang")).toBe("zh-Hans");

    // Act: ask
    await box.fill(QUESTION);
    await expect.poll(() => send.isEnabled(), { timeout: 20_000 }).toBe(true);
    await box.press("Enter");

    // Assess: the question shows at once, the answer has numbered steps and feedback buttons
    await mine.getByText(QUESTION, { exact: true }).waitFor();
    expect(await box.inputValue()).toBe("");
    const answer = bots.filter({ hasText: "1." }).first();
    await answer.waitFor({ timeout: 30_000 });
    const choices = answer.getByRole("button");
    expect(await choices.count()).toBeGreaterThanOrEqual(2);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ text: QUESTION, locale: "zh-Hans" });
    expect(posts[0]?.sessionId).toMatch(SESSION_ID);
    expect(posts[0]?.clientMessageId).toEqual(expect.any(String));

    // Act: press "yes, it helped"
    const helped = choices.first();
    const label = (await helped.textContent())?.trim() ?? "";
    expect(label).not.toBe("");
    const botCount = await bots.count();
    await helped.click();

    // Assess: the label is the user's message, a follow-up arrives, the old buttons are spent
    await mine.getByText(label, { exact: true }).waitFor();
    await expect.poll(() => bots.count(), { timeout: 30_000 }).toBeGreaterThan(botCount);
    expect((await bots.last().textContent())?.trim().length).toBeGreaterThan(TEXT.bot.length);
    expect(await helped.isDisabled()).toBe(true);
    expect(posts).toHaveLength(2);
    expect(posts[1]).toMatchObject({ locale: "zh-Hans", sessionId: posts[0]?.sessionId });
    expect(posts[1]?.buttonId).toEqual(expect.any(String));
    expect(posts[1]).not.toHaveProperty("text");
    expect(posts[1]?.clientMessageId).not.toBe(posts[0]?.clientMessageId);

    // Act: reload
    const sessionId = await page.evaluate("localStorage.getItem('guardline.sessionId')");
    await page.reload();

    // Assess: the same session's history is shown again
    await mine.getByText(QUESTION, { exact: true }).waitFor();
    await bots.filter({ hasText: "1." }).first().waitFor();
    expect(await page.evaluate("localStorage.getItem('guardline.sessionId')")).toBe(sessionId);
    expect(sessionId).toBe(posts[0]?.sessionId);
    expect(posts).toHaveLength(2);
    expect(errors).toEqual([]);
    await close();
  }, 120_000);

  it("shows an agent's reply that arrived between polls above the user's next message", async () => {
    // Prepare: the user asks for a person; an agent claims the conversation and replies while the
    // page's polls fail, so the reply reaches the page only with the user's next message
    const { page, posts, close } = await openChat();
    const box = page.getByRole("textbox", { name: TEXT.label });
    const log = page.getByRole("log");
    let sentSecond = false;
    await page.route("**/web/messages?**", (route) => (sentSecond ? route.continue() : route.abort()));
    page.on("request", (request) => {
      if (request.method() === "POST" && posts.length >= 1) sentSecond = true;
    });
    await box.fill("我要转人工");
    await box.press("Enter");
    await expect.poll(() => log.getByRole("article").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const sessionId = await page.evaluate("localStorage.getItem('guardline.sessionId')");
    const { token } = await createAgent(agentRuntime(runtime()).agents, { name: "Lin", role: "agent" });
    const act = (path: string, body?: unknown) =>
      fetch(new URL(`agent/conversations/${conversationIdFor(`web:${sessionId}`, 1)}/${path}`, server?.url), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await act("claim")).status).toBe(200);
    expect((await act("messages", { text: "您好，我是客服小林" })).status).toBe(200);

    // Act: the user writes again before any poll got through
    await box.fill("还在吗");
    await box.press("Enter");

    // Assess: the agent's reply sits above the message written after it
    await log.getByRole("article", { name: TEXT.agent }).waitFor({ timeout: 30_000 });
    const order = await log
      .getByRole("article")
      .evaluateAll((articles) => articles.map((a) => a.querySelector(".bubble")?.textContent ?? ""));
    expect(order.indexOf("您好，我是客服小林")).toBeGreaterThan(-1);
    expect(order.indexOf("您好，我是客服小林")).toBeLessThan(order.indexOf("还在吗"));
    await close();
  }, 120_000);

  it("shows a pasted recovery phrase redacted in the user's own bubble as soon as the reply arrives", async () => {
    // Prepare
    const { page, errors, close } = await openChat();
    const box = page.getByRole("textbox", { name: TEXT.label });
    const mine = messagesFrom(page, TEXT.you);
    const bots = messagesFrom(page, TEXT.bot);
    await page.getByText(TEXT.notice).waitFor();
    const words =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    // Act
    await box.fill(`我的助记词是 ${words} 帮我看看`);
    await expect
      .poll(() => page.getByRole("button", { name: TEXT.send, exact: true }).isEnabled())
      .toBe(true);
    await box.press("Enter");

    // Assess: the warning arrives, and the bubble above it no longer holds the phrase (no reload)
    await bots.filter({ hasText: "助记词" }).first().waitFor({ timeout: 30_000 });
    await mine.getByText("我的助记词是 [REDACTED:mnemonic] 帮我看看", { exact: true }).waitFor();
    expect(await page.getByRole("log").textContent()).not.toContain("abandon");
    expect(errors).toEqual([]);
    await close();
  }, 120_000);

  it("renders Chinese with a real CJK font in both scripts, not as missing-glyph boxes", async () => {
    const { page, close } = await openChat();
    await page.getByText(TEXT.notice).waitFor();
    // Two different Han characters drawn with the page's font: with no CJK font both come out as the
    // same missing-glyph box (or as nothing), and as the private-use character U+E000 does.
    const drawn = async (lang: string) =>
      (await page.evaluate(`(() => {
        document.documentElement.lang = ${JSON.stringify(lang)};
        const family = getComputedStyle(document.body).fontFamily;
        const pixels = (char) => {
          const canvas = document.createElement("canvas");
          canvas.width = 48;
          canvas.height = 48;
          const context = canvas.getContext("2d");
          context.font = "40px " + family;
          context.fillText(char, 2, 40);
          return Array.from(context.getImageData(0, 0, 48, 48).data).join(",");
        };
        return { family, you: pixels("你"), hao: pixels("好"), box: pixels("\\uE000") };
      })()`)) as { family: string; you: string; hao: string; box: string };
    for (const lang of ["zh-Hans", "zh-Hant"]) {
      const { family, you, hao, box } = await drawn(lang);
      expect(family).toContain(lang === "zh-Hant" ? "PingFang TC" : "PingFang SC");
      const hint = "no CJK font on this machine: apt-get install fonts-wqy-microhei (README, Start)";
      expect(you, hint).not.toBe(hao);
      expect(you, hint).not.toBe(box);
    }
    await close();
  }, 60_000);

  it("does not send an empty or over-long message", async () => {
    // Prepare: a fresh session, its (empty) history loaded
    const { page, errors, posts, close } = await openChat();
    const box = page.getByRole("textbox", { name: TEXT.label });
    const send = page.getByRole("button", { name: TEXT.send, exact: true });
    await page.getByText(TEXT.empty).waitFor();

    // Act + Assess: nothing to send while the box is empty or blank
    expect(await send.isDisabled()).toBe(true);
    await box.fill("  \n  ");
    expect(await send.isDisabled()).toBe(true);
    await box.press("Enter");

    // Act + Assess: the box takes at most the limit
    await box.fill("密".repeat(CHAT_MAX_CHARS + 50));
    expect((await box.inputValue()).length).toBe(CHAT_MAX_CHARS);

    // Act: a longer text put in by a script (paste tools, extensions) is refused by the page
    await box.evaluate((element, length) => {
      const area = element as unknown as { value: string; dispatchEvent(event: Event): boolean };
      area.value = "x".repeat(length);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }, CHAT_MAX_CHARS + 1);
    await send.click();

    // Assess
    await page
      .getByRole("alert")
      .getByText(TEXT.tooLong.replace("{{max}}", String(CHAT_MAX_CHARS)))
      .waitFor();
    expect(await page.getByRole("log").getByRole("article").count()).toBe(0);
    expect(posts).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  it.each(["light", "dark"] as const)(
    "has no serious or critical accessibility violations (axe-core, WCAG 2.1 AA) in %s mode",
    async (colorScheme) => {
      // Prepare: a conversation with an answer and its buttons; axe needs the CSP bypassed to run
      const { page, close } = await openChat({ bypassCSP: true, colorScheme });
      const box = page.getByRole("textbox", { name: TEXT.label });
      await page.getByText(TEXT.empty).waitFor();
      const empty = await seriousViolations(page);
      await box.fill(QUESTION);
      await box.press("Enter");
      await messagesFrom(page, TEXT.bot).filter({ hasText: "1." }).first().waitFor({ timeout: 30_000 });

      // Act
      const found = await seriousViolations(page);

      // Assess
      expect(empty).toEqual([]);
      expect(found).toEqual([]);
      await close();
    },
  );

  it("the accessibility check finds what it should: an unlabelled field, unreadable text", async () => {
    if (!browser) throw new Error("no browser");
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><title>x</title><main><p style="color:#ddd;background:#fff">faint</p><input></main></html>',
    );
    const found = await seriousViolations(page);
    expect(found.map((f) => f.split(":")[0])).toEqual(["serious color-contrast", "critical label"]);
    await context.close();
  });
});
