import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, type BrowserContextOptions, chromium, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { seriousViolations } from "../support/axe.ts";
import { uiStrings } from "../support/ui-strings.ts";

/**
 * The website widget on operators' pages, in headless Chromium: a test site on a second local origin
 * (allowed in WEB_ALLOWED_ORIGINS) pastes the one-line snippet, opens the bubble, chats in the page's
 * language and finds the conversation again after a reload. A third origin, not allowed, is refused:
 * widget.js answers 403 when its page is named, and a copy loaded without a referrer gets no chat,
 * because the chat page's frame-ancestors keeps it out. Needs Debian's `chromium`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP) console.warn(`widget browser test skipped: no Chromium at ${CHROMIUM}; CI fails instead`);

const OUTPUT = join(import.meta.dirname, "..", "..", "test-output");
const GREETING = "歡迎光臨！有任何錢包問題都可以問我。";
const COLOUR = "#0a7d44";
const CHAT = uiStrings("chat", "zh-Hant");
/** The widget's shadow root, in page expressions (the tests' TypeScript has no DOM types). */
const SHADOW = 'document.querySelector("guardline-chat").shadowRoot';
const WIDGET = uiStrings("widget", "zh-Hant");

/** An operator's site: one page with the snippet, as README shows it. */
function site(snippet: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url !== "/" && !request.url?.startsWith("/?")) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(
      `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>示例錢包</title></head>` +
        `<body><h1>示例錢包</h1><p>官方網站</p>${snippet()}</body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe.skipIf(SKIP)("the website widget in a browser", () => {
  let chat: LocalServer | undefined;
  let allowed: { server: Server; origin: string } | undefined;
  let other: { server: Server; origin: string } | undefined;
  let browser: Browser | undefined;
  const snippet = (extra = "") =>
    `<script src="${chat?.url.replace(/\/$/, "")}/widget.js" data-color="${COLOUR}" data-greeting="${GREETING}" ${extra} async></script>`;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    allowed = await site(() => snippet());
    other = await site(() => snippet('referrerpolicy="no-referrer"'));
    process.env.WEB_ALLOWED_ORIGINS = allowed.origin;
    chat = await startLocalServer({ port: 0, host: "127.0.0.1" });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
    mkdirSync(OUTPUT, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    delete process.env.WEB_ALLOWED_ORIGINS;
    await browser?.close();
    await chat?.close();
    for (const s of [allowed, other]) await new Promise((resolve) => s?.server.close(resolve));
  });

  async function visit(url: string, options: BrowserContextOptions = {}) {
    if (!browser) throw new Error("no browser");
    const context = await browser.newContext({ locale: "en-US", ...options });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    return { context, page, errors };
  }

  const bubble = (page: Page) => page.locator("guardline-chat").getByRole("button", { name: WIDGET.open });
  async function chatFrame(page: Page): Promise<Frame> {
    const frame = await page.locator("guardline-chat iframe").elementHandle();
    const content = await frame?.contentFrame();
    if (!content) throw new Error("the widget has no chat frame");
    await content.waitForLoadState();
    return content;
  }

  it("opens from the bubble, chats in the page's language and theme, and survives a reload", async () => {
    // Prepare
    const { context, page, errors } = await visit(`${allowed?.origin}/`);
    await bubble(page).waitFor();
    expect(await page.evaluate(`getComputedStyle(${SHADOW}.querySelector(".bubble")).backgroundColor`)).toBe(
      "rgb(10, 125, 68)",
    );

    // Act: open, and ask, by keyboard alone
    await page.keyboard.press("Tab");
    expect(await page.evaluate(`${SHADOW}.activeElement?.className`)).toBe("bubble");
    await page.keyboard.press("Enter");
    const frame = await chatFrame(page);
    await frame.getByText(GREETING).waitFor();
    await expect.poll(() => frame.evaluate("document.activeElement?.id")).toBe("text");
    await page.keyboard.type("手續費怎麼算");
    await page.keyboard.press("Enter");

    // Assess: the chat speaks the page's Traditional Chinese, in the operator's colour, and answers
    const log = frame.getByRole("log");
    await log.getByRole("article", { name: CHAT.you }).getByText("手續費怎麼算").waitFor();
    await expect
      .poll(() => log.getByRole("article", { name: CHAT.bot }).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(await frame.evaluate("document.documentElement.lang")).toBe("zh-Hant");
    await frame.getByText(CHAT.notice).waitFor();
    expect(await frame.getByRole("heading").count()).toBe(0);
    expect(
      await frame.evaluate('getComputedStyle(document.querySelector(".msg.user .bubble")).backgroundColor'),
    ).toBe("rgb(10, 125, 68)");
    expect(await page.locator("guardline-chat").getByRole("dialog", { name: WIDGET.title }).isVisible()).toBe(
      true,
    );
    await page.screenshot({ path: join(OUTPUT, "widget-open.png") });
    // The widget's own parts (bubble, panel, frame) on the operator's page; the chat page is checked on its own.
    expect(await seriousViolations(page)).toEqual([]);

    // Act: reload the operator's page
    await page.reload();

    // Assess: the widget reopens by itself with the same conversation
    const again = await chatFrame(page);
    await again.getByRole("log").getByRole("article", { name: CHAT.you }).getByText("手續費怎麼算").waitFor();
    expect(await again.getByRole("log").getByRole("article", { name: CHAT.bot }).count()).toBeGreaterThan(0);

    // Act: close with the widget's own button
    await page.locator("guardline-chat").getByRole("button", { name: WIDGET.close }).first().click();

    // Assess: the panel is gone, focus is back on the bubble
    await expect.poll(() => page.locator("guardline-chat").getByRole("dialog").isVisible()).toBe(false);
    expect(await page.evaluate(`${SHADOW}.activeElement?.className`)).toBe("bubble");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("is refused on a site that is not allowed: no script when the page is named, no chat in any case", async () => {
    if (!chat || !other) throw new Error("servers did not start");
    // Act: the script asked for by a page of a site not in the list
    const named = await fetch(new URL("widget.js", chat.url), {
      headers: { referer: `${other.origin}/shop` },
    });

    // Assess
    expect(named.status).toBe(403);
    expect(named.headers.get("content-type")).toContain("application/json");
    const allowedScript = await fetch(new URL("widget.js", chat.url), {
      headers: { referer: `${allowed?.origin}/` },
    });
    expect(allowedScript.status).toBe(200);
    expect(allowedScript.headers.get("content-type")).toBe("text/javascript; charset=utf-8");

    // Act: that site loads the script without a referrer and opens the bubble
    const posts: string[] = [];
    const { context, page, errors } = await visit(`${other.origin}/`);
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await bubble(page).click();

    // Assess: the browser refuses the frame, and the widget says the chat is unavailable here
    await page
      .locator("guardline-chat")
      .getByRole("status")
      .getByText(WIDGET.unavailable)
      .waitFor({ timeout: 15_000 });
    expect(await page.locator("guardline-chat iframe").count()).toBe(0);
    expect(errors.some((e) => /frame-ancestors/.test(e))).toBe(true);
    expect(posts).toEqual([]);
    await context.close();
  });

  it("takes the whole screen of a 360 px phone, and the chat page alone fits it", async () => {
    // Act: the widget, open on a phone
    const { context, page } = await visit(`${allowed?.origin}/`, {
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: "zh-TW",
    });
    await bubble(page).click();
    const frame = await chatFrame(page);
    await frame.getByText(GREETING).waitFor();

    // Assess: the panel covers the viewport, nothing scrolls sideways
    const box = await page.locator("guardline-chat iframe").boundingBox();
    expect(box?.width).toBe(360);
    expect(await frame.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(OUTPUT, "widget-360.png") });

    // Act: the chat page on its own, after a question
    const own = await context.newPage();
    await own.goto(chat?.url ?? "");
    const input = own.getByRole("textbox", { name: CHAT.label });
    await input.fill("客服電話是多少");
    await input.press("Enter");
    await expect
      .poll(() => own.getByRole("log").getByRole("article", { name: CHAT.bot }).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // Assess
    expect(await own.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    const send = await own.getByRole("button", { name: CHAT.send }).boundingBox();
    expect((send?.x ?? 999) + (send?.width ?? 0)).toBeLessThanOrEqual(360);
    await own.screenshot({ path: join(OUTPUT, "chat-360.png") });
    await context.close();
  });
});
