import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  type Browser,
  type BrowserContextOptions,
  chromium,
  type Page,
  type Response,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/local/server.ts";
import { FakeMeta } from "../support/fake-meta.ts";
import { metaSignature, whatsappNotification } from "../support/meta-notifications.ts";
import { uiStrings } from "../support/ui-strings.ts";

/**
 * The agent console and the web chat in headless Chromium against the real local server: a phone user
 * asks for a human, an agent (created with the CLI, as an operator would) signs in, claims the
 * conversation and replies; the user sees the reply while the bot keeps quiet, an internal note never
 * reaches the user, and after the hand-back the bot answers again. Needs Debian's `chromium`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !process.env.CI;
if (SKIP) {
  console.warn(
    `agent console browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium); CI fails instead`,
  );
}

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TABLE_NAME = "guardline-console-browser-test";

const USER = uiStrings("chat", "zh-Hans");
const C = uiStrings("console", "en");
const ASK_HUMAN = "我要转人工客服";
const REPLY = "您好，我是客服 Alice，请问有什么可以帮您？";
const UNOFFICIAL_REPLY = "请访问 wallet-example-support.com 办理";
const THANKS = "谢谢";
const NOTE = "用户已确认身份";
const FEE_QUESTION = "手续费怎么算";

const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
};
const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: "en-US" };

interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here too). */
  errors: string[];
  close(): Promise<void>;
}

interface CreatedAgent {
  id: string;
  name: string;
  role: string;
  token: string;
}

const isWebPost = (response: Response) =>
  response.request().method() === "POST" && new URL(response.url()).pathname === "/web/messages";
const isWebPoll = (url: string, method: string) =>
  method === "GET" && new URL(url).pathname === "/web/messages";

describe.skipIf(SKIP)("agent console in a browser", () => {
  let server: { url: string; dynamodbEndpoint: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let agent: CreatedAgent | undefined;
  const opened: OpenedPage[] = [];
  const graph = new FakeMeta();
  const META_SECRET = "console-test-meta-secret";
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
    Object.assign(process.env, {
      META_APP_SECRET: META_SECRET,
      META_VERIFY_TOKEN: "console-test-verify",
      META_ACCESS_TOKEN: "console-test-access",
      META_API_ROOT: await graph.start(),
    });
    server = await startLocalServer({ port: 0, host: "127.0.0.1", tableName: TABLE_NAME });
    // The operator's way: the CLI in its own process, against the server's store.
    const { stdout } = await execFileAsync(
      "node_modules/.bin/tsx",
      ["src/cli/main.ts", "agent:create", "--name", "Alice", "--role", "agent", "--json"],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DYNAMODB_ENDPOINT: server.dynamodbEndpoint, TABLE_NAME },
        timeout: 60_000,
      },
    );
    agent = JSON.parse(stdout) as CreatedAgent;
    expect(agent).toMatchObject({ name: "Alice", role: "agent" });
    expect(agent.token).toEqual(expect.any(String));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    for (const page of opened) await page.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await graph.stop();
    process.env = saved;
  });

  async function open(path: string, options: BrowserContextOptions): Promise<OpenedPage> {
    if (!browser || !server) throw new Error("browser or server did not start");
    const context = await browser.newContext(options);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(new URL(path, server.url).toString());
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    const handle = { page, errors, close: () => context.close() };
    opened.push(handle);
    return handle;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.getByLabel(C.tokenLabel, { exact: true }).fill(token);
    await page.getByRole("button", { name: C.signIn, exact: true }).click();
  }

  const chatMessages = (page: Page, author: string) =>
    page.getByRole("log").getByRole("article", { name: author, exact: true });
  const transcript = (page: Page) => page.getByRole("log", { name: C.transcript });
  const transcriptMessages = (page: Page, author: string) =>
    transcript(page).getByRole("article", { name: author, exact: true });

  it("hands a Chinese web chat to an agent who replies and notes, then back to the bot", async () => {
    if (!agent) throw new Error("no agent was created");
    const token = agent.token;

    // Prepare: the user's phone on the chat page, the agent's laptop on the console
    const user = await open("/", PHONE);
    const userBox = user.page.getByRole("textbox", { name: USER.label });
    const userSend = user.page.getByRole("button", { name: USER.send, exact: true });
    const botReplies = chatMessages(user.page, USER.bot);
    const agentReplies = chatMessages(user.page, USER.agent);
    const pollBodies: Promise<string>[] = [];
    user.page.on("response", (response) => {
      if (isWebPoll(response.url(), response.request().method())) pollBodies.push(response.text());
    });
    await user.page.getByText(USER.empty).waitFor();

    // Act: the user asks for a human
    await userBox.fill(ASK_HUMAN);
    await expect.poll(() => userSend.isEnabled(), { timeout: 20_000 }).toBe(true);
    const [asked] = await Promise.all([user.page.waitForResponse(isWebPost), userBox.press("Enter")]);

    // Assess: the bot acknowledges and the conversation waits for an agent
    expect(await asked.json()).toMatchObject({ status: "waiting" });
    await botReplies.first().waitFor({ timeout: 30_000 });

    // Prepare: the agent signs in with the token the CLI printed
    const console_ = await open("/console", LAPTOP);
    const agentPage = console_.page;
    const authorizations = new Set<string>();
    agentPage.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/agent/")) {
        authorizations.add(request.headers().authorization ?? "(none)");
      }
    });
    await signIn(agentPage, token);
    await agentPage.getByRole("button", { name: C.signOut, exact: true }).waitFor();
    await agentPage.getByText("Alice", { exact: true }).waitFor();
    expect(await agentPage.evaluate("sessionStorage.getItem('guardline.agentToken')")).toBe(token);
    expect(await agentPage.evaluate("localStorage.length")).toBe(0);

    // Act: find the conversation in the queue, open and claim it
    const queueRows = agentPage.getByRole("list", { name: C.queue }).getByRole("button");
    await expect.poll(() => queueRows.count(), { timeout: 15_000 }).toBe(1);
    expect(await queueRows.first().textContent()).toContain("zh-Hans");
    await queueRows.first().click();
    await transcriptMessages(agentPage, C.fromUser).getByText(ASK_HUMAN, { exact: true }).waitFor();
    const replyBox = agentPage.getByRole("textbox", { name: C.replyLabel });
    expect(await replyBox.isDisabled()).toBe(true);
    await agentPage.getByRole("button", { name: C.claim, exact: true }).click();

    // Assess: the conversation is the agent's now, out of the queue and in "Mine"
    await agentPage.getByRole("button", { name: C.handback, exact: true }).waitFor();
    await expect.poll(() => replyBox.isEnabled()).toBe(true);
    const mineRows = agentPage.getByRole("list", { name: C.mine }).getByRole("button");
    await expect.poll(() => mineRows.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => queueRows.count(), { timeout: 15_000 }).toBe(0);

    // Act: a reply naming a contact that is not in the registry
    await replyBox.fill(UNOFFICIAL_REPLY);
    await replyBox.press("Enter");

    // Assess: refused with the reason on screen, the draft kept for the agent to fix, nothing sent
    const refusal = agentPage.getByRole("alert");
    await refusal.getByText("wallet-example-support.com", { exact: false }).waitFor();
    expect(await refusal.textContent()).toContain("not in the official contact registry");
    expect(await replyBox.inputValue()).toBe(UNOFFICIAL_REPLY);
    expect(await transcriptMessages(agentPage, "Alice").count()).toBe(0);

    // Act: reply (Enter sends)
    await replyBox.fill(REPLY);
    await replyBox.press("Enter");

    // Assess: the reply is in the transcript as Alice's, and reaches the user's page by polling
    await transcriptMessages(agentPage, "Alice").getByText(REPLY, { exact: true }).waitFor();
    expect(await replyBox.inputValue()).toBe("");
    await agentReplies.getByText(REPLY, { exact: true }).waitFor({ timeout: 10_000 });

    // Act: the user thanks the agent
    const botCount = await botReplies.count();
    await userBox.fill(THANKS);
    const [thanked] = await Promise.all([user.page.waitForResponse(isWebPost), userBox.press("Enter")]);

    // Assess: the agent sees it; the bot stays quiet (no reply in the answer, none a few seconds later)
    expect(await thanked.json()).toMatchObject({ status: "agent", replies: [] });
    await transcriptMessages(agentPage, C.fromUser)
      .getByText(THANKS, { exact: true })
      .waitFor({ timeout: 15_000 });
    await user.page.waitForTimeout(4_000);
    expect(await botReplies.count()).toBe(botCount);

    // Act: an internal note
    await agentPage.getByRole("radio", { name: C.modeNote, exact: true }).check();
    const noteBox = agentPage.getByRole("textbox", { name: C.noteBoxLabel });
    await noteBox.fill(NOTE);
    await agentPage.getByRole("button", { name: C.addNote, exact: true }).click();

    // Assess: shown to the agent as a note, never sent to the user (not even in the page's polls)
    await transcriptMessages(agentPage, C.noteLabel).getByText(NOTE, { exact: true }).waitFor();
    expect(await transcriptMessages(agentPage, "Alice").getByText(NOTE).count()).toBe(0);
    const laterPoll = await user.page.waitForRequest((r) => isWebPoll(r.url(), r.method()), {
      timeout: 15_000,
    });
    const laterBody = (await laterPoll.response())?.text() ?? Promise.resolve("");
    const bodies = await Promise.all([...pollBodies, laterBody]);
    expect(bodies.some((body) => body.includes(REPLY))).toBe(true);
    expect(bodies.filter((body) => body.includes(NOTE))).toEqual([]);
    expect(await user.page.getByText(NOTE).count()).toBe(0);

    // Act: hand back to the bot, and the user asks something the bot knows
    await agentPage.getByRole("radio", { name: C.modeReply, exact: true }).check();
    await agentPage.getByRole("button", { name: C.handback, exact: true }).click();
    await agentPage.getByText(C.handedBack).waitFor();
    // The open chat page shows the bot's hand-back notice without a reload.
    await user.page.getByText("人工客服已结束本次服务").waitFor({ timeout: 10_000 });
    await expect.poll(() => replyBox.isDisabled()).toBe(true);
    await expect.poll(() => mineRows.count(), { timeout: 15_000 }).toBe(0);
    const botsBefore = await botReplies.count();
    await userBox.fill(FEE_QUESTION);
    const [feeAsked] = await Promise.all([user.page.waitForResponse(isWebPost), userBox.press("Enter")]);

    // Assess: the bot answers again
    const feeAnswer = (await feeAsked.json()) as { status: string; replies: unknown[] };
    expect(feeAnswer.status).toBe("bot");
    expect(feeAnswer.replies.length).toBeGreaterThan(0);
    await expect.poll(() => botReplies.count(), { timeout: 30_000 }).toBeGreaterThan(botsBefore);
    expect([...authorizations]).toEqual([`Bearer ${token}`]);
    expect(user.errors).toEqual([]);
    // Chromium reports the refused reply's 422 as a failed resource; anything else is a fault.
    expect(console_.errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
  }, 180_000);

  it("shows a WhatsApp conversation as WhatsApp, with until when the user can still be answered", async () => {
    if (!agent || !server) throw new Error("no agent or server");
    // Prepare: a WhatsApp user asks for a person (a signed notification, as Meta sends it)
    const raw = JSON.stringify(
      whatsappNotification("85291234567", [{ type: "text", text: { body: "我要搵真人客服" } }]),
    );
    const signature = metaSignature(raw, META_SECRET);
    const posted = await fetch(new URL("webhooks/meta", server.url), {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: raw,
    });
    expect(posted.status).toBe(200);
    const { page, errors } = await open("/console", LAPTOP);
    await signIn(page, agent.token);

    // Act: open it from the queue
    const queueRows = page.getByRole("list", { name: C.queue }).getByRole("button");
    await expect.poll(() => queueRows.count(), { timeout: 15_000 }).toBe(1);
    expect(await queueRows.first().textContent()).toContain(C.platform_whatsapp);
    await queueRows.first().click();

    // Assess
    await transcriptMessages(page, C.fromUser).getByText("我要搵真人客服", { exact: true }).waitFor();
    await page.getByText(new RegExp(`^${C.replyBy.replace("{{time}}", "")}`)).waitFor();
    expect(errors).toEqual([]);
  }, 90_000);

  it("refuses a wrong token with a message on the sign-in form", async () => {
    // Prepare
    const { page, errors } = await open("/console", LAPTOP);

    // Act
    await signIn(page, "not-a-real-agent-token");

    // Assess: the error is announced, nothing is kept, the console stays closed
    await page.getByRole("alert").getByText(C.badToken).waitFor();
    expect(await page.getByRole("button", { name: C.signOut }).count()).toBe(0);
    expect(await page.getByLabel(C.tokenLabel, { exact: true }).isEditable()).toBe(true);
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
    // The refused request itself is logged by Chromium as a failed resource; nothing else may be.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  }, 60_000);
});
