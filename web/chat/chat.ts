/**
 * The web chat page (`GET /`, and inside the website widget with `?embed=1`). It talks to the same
 * origin only:
 * - `POST /web/messages` `{sessionId, text | buttonId, clientMessageId, locale}` → `{conversationId,
 *   status, message?, replies: [{text, buttons?}]}`; `message`, present when the store kept another
 *   form of the user's text (a pasted secret redacted), replaces the text of the user's bubble;
 * - `GET /web/messages?sessionId=…[&after=<cursor>]` → `{messages: [{id, from, text, at}], cursor}`.
 * Everything from the server is data: the DOM is built with `textContent` only.
 */
import { byId, make } from "../shared/dom.ts";
import { format, pickLocale, readDataBlock, stringsOf, translate } from "../shared/i18n.ts";
import { ChatApi, ChatApiError, type Reply } from "./api.ts";
import { embedOptions, READY_MESSAGE } from "./embed.ts";
import { type Author, History } from "./history.ts";
import { loadSessionId, randomId } from "./session.ts";
import { CHAT_KEYS, type ChatStrings } from "./strings.ts";

const POLL_MS = 3000;
const MAX_POLL_DELAY_MS = 60_000;
const MAX_POLL_ERRORS = 6;
const MAX_HISTORY_PAGES = 20;

const config = readDataBlock(document, "config") as { maxChars?: unknown; strings?: unknown } | undefined;
const ALL = stringsOf(config?.strings, CHAT_KEYS);
if (!ALL || typeof config?.maxChars !== "number") throw new Error("the page's #config block is missing");
const MAX_CHARS = config.maxChars;

const embed = embedOptions(location.search);
const locale = embed.locale ?? pickLocale(navigator.language);
const T: ChatStrings = ALL[locale];

const scroller = byId("scroll");
const log = byId("log");
const empty = byId("empty");
const statusLine = byId("status");
const form = byId("composer", HTMLFormElement);
const input = byId("text", HTMLTextAreaElement);
const counter = byId("count");
const sendButton = byId("send", HTMLButtonElement);

document.documentElement.lang = locale;
translate(document, { ...T, tooLong: format(T.tooLong, { max: MAX_CHARS }) });
document.title = T.title;
empty.textContent = embed.greeting ?? T.empty;
input.maxLength = MAX_CHARS;
if (embed.embedded) document.documentElement.classList.add("embedded");
if (embed.accent) {
  // CSSOM, not a style attribute: the CSP allows it.
  document.documentElement.style.setProperty("--user", embed.accent);
  document.documentElement.style.setProperty("--accent", embed.accent);
}

const sessionId = loadSessionId(storage());
const api = new ChatApi({ error: T.error, network: T.network });
const history = new History();

let ready = false;
let inFlight = false;
let nameSeq = 0;
let typing: HTMLElement | null = null;
let openRows: HTMLElement[] = [];
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let pollRunning = false;
let pollStopped = true;
let pollErrors = 0;

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

const timeFormat = (() => {
  try {
    return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  } catch {
    return null;
  }
})();
function formatTime(at: string | undefined): string {
  if (!timeFormat || at === undefined) return "";
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
}

const scrollToBottom = () => {
  scroller.scrollTop = scroller.scrollHeight;
};
const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
/** Shows a message and what follows it: at the top of the view when the rest is taller than it. */
const reveal = (node: HTMLElement) => {
  scroller.scrollTop = Math.min(node.offsetTop - 12, scroller.scrollHeight - scroller.clientHeight);
};

function setRowsDisabled(rows: readonly HTMLElement[], disabled: boolean): void {
  for (const row of rows) {
    for (const button of row.querySelectorAll("button")) {
      button.disabled = disabled;
      if (!disabled) button.classList.remove("chosen");
    }
  }
}

function addChoices(article: HTMLElement, buttons: Reply["buttons"]): void {
  if (buttons.length === 0) return;
  const row = make("div", "choices");
  for (const choice of buttons) {
    const button = make("button", "choice", choice.label);
    button.type = "button";
    button.addEventListener("click", () => {
      if (button.disabled || inFlight || !ready) return;
      button.classList.add("chosen");
      void send({ buttonId: choice.id }, choice.label);
    });
    row.append(button);
  }
  article.append(row);
  openRows.push(row);
}

/** One message: an article named by its author, the text (newlines kept) and optional buttons. */
function addMessage(
  from: Author,
  text: string,
  options: { buttons?: Reply["buttons"]; at?: string | undefined; before?: HTMLElement | undefined } = {},
): HTMLElement {
  const article = make("article", `msg ${from}`);
  const who = make("p", from === "agent" ? "who" : "who sr-only");
  const name = make("span", "", T[from === "user" ? "you" : from]);
  nameSeq += 1;
  name.id = `author-${nameSeq}`;
  article.setAttribute("aria-labelledby", name.id);
  who.append(name);
  const time = from === "agent" ? formatTime(options.at) : "";
  if (time) who.append(make("span", "", ` \u00b7 ${time}`));
  article.append(who, make("p", "bubble", text));
  if (options.buttons) addChoices(article, options.buttons);
  empty.hidden = true;
  if (options.before) log.insertBefore(article, options.before);
  else if (typing) log.insertBefore(article, typing);
  else log.append(article);
  return article;
}

function showTyping(): void {
  typing = make("div", "msg bot typing");
  typing.setAttribute("aria-hidden", "true");
  const dots = make("p", "bubble");
  dots.append(make("span"), make("span"), make("span"));
  typing.append(dots);
  log.append(typing);
}
function hideTyping(): void {
  typing?.remove();
  typing = null;
}

function showError(message: string): void {
  statusLine.textContent = message;
  statusLine.hidden = false;
}
function clearError(): void {
  statusLine.hidden = true;
  statusLine.textContent = "";
}

function updateComposer(): void {
  const length = input.value.length;
  sendButton.disabled = !ready || inFlight || input.value.trim() === "";
  counter.hidden = length < MAX_CHARS - 400;
  counter.textContent = `${length} / ${MAX_CHARS}`;
  counter.classList.toggle("over", length > MAX_CHARS);
}
function autosize(): void {
  let rows = 1;
  input.rows = rows;
  while (rows < 6 && input.scrollHeight > input.clientHeight + 1) {
    rows += 1;
    input.rows = rows;
  }
}

async function send(
  fields: { text: string } | { buttonId: string },
  shownText: string,
  restoreText?: string,
) {
  if (inFlight || !ready) return;
  inFlight = true;
  clearError();
  const closedRows = openRows;
  openRows = [];
  setRowsDisabled(closedRows, true);
  const mine = addMessage("user", shownText);
  showTyping();
  scrollToBottom();
  updateComposer();
  try {
    const answer = await api.post({ sessionId, ...fields, clientMessageId: randomId(), locale });
    hideTyping();
    if (answer.stored) {
      // What the server kept: a pasted secret shows redacted from now on, not only after a reload.
      const bubble = mine.querySelector(".bubble");
      if (bubble && bubble.textContent !== answer.stored.text) bubble.textContent = answer.stored.text;
      history.remember(answer.stored);
    }
    for (const reply of answer.replies) addMessage("bot", reply.text, { buttons: reply.buttons });
    reveal(mine);
    await syncAfterTurn(mine);
    if (pollStopped) startPolling();
  } catch (error) {
    hideTyping();
    mine.classList.add("failed");
    mine.append(make("p", "note", T.notSent));
    setRowsDisabled(closedRows, false);
    openRows = closedRows.concat(openRows);
    if (restoreText !== undefined && input.value === "") {
      input.value = restoreText;
      autosize();
    }
    showError(error instanceof Error && error.message ? error.message : T.error);
    scrollToBottom();
  } finally {
    inFlight = false;
    updateComposer();
  }
}

function submitText(): void {
  const text = input.value.trim();
  if (!ready || inFlight || text === "") return;
  if (text.length > MAX_CHARS) {
    showError(format(T.tooLong, { max: MAX_CHARS }));
    return;
  }
  input.value = "";
  autosize();
  void send({ text }, text, text);
}

/**
 * After a turn, move the cursor past its own messages (already shown from the POST answer) so that
 * later polls show only what others wrote. Agent replies that arrived meanwhile are shown now.
 */
async function syncAfterTurn(mine: HTMLElement): Promise<void> {
  try {
    const page = await api.list(sessionId, history.cursor);
    for (const { message, placement } of history.afterTurn(page.messages)) {
      addMessage("agent", message.text, {
        at: message.at,
        before: placement === "before-mine" ? mine : undefined,
      });
    }
    history.advance(page.cursor);
  } catch {
    // The next poll catches up.
  }
}

/** Polling for agents' messages: every 3 s while the tab is visible, backing off on errors. */
function schedulePoll(delay: number): void {
  clearTimeout(pollTimer);
  pollTimer = undefined;
  if (pollStopped || document.hidden || pollRunning) return;
  pollTimer = setTimeout(() => void poll(), delay);
}
async function poll(): Promise<void> {
  pollTimer = undefined;
  if (pollStopped || document.hidden || pollRunning) return;
  if (inFlight) {
    schedulePoll(POLL_MS);
    return;
  }
  pollRunning = true;
  try {
    const page = await api.list(sessionId, history.cursor);
    const stick = nearBottom();
    const shown = history.fromOthers(page.messages, !inFlight);
    for (const m of shown) addMessage(m.from, m.text, { at: m.from === "agent" ? m.at : undefined });
    history.advance(page.cursor);
    pollErrors = 0;
    if (shown.length > 0 && stick) scrollToBottom();
  } catch (error) {
    pollErrors += 1;
    const status = error instanceof ChatApiError ? error.status : 0;
    const hopeless = status >= 400 && status < 500 && status !== 408 && status !== 429;
    if (hopeless || pollErrors >= MAX_POLL_ERRORS) pollStopped = true;
  } finally {
    pollRunning = false;
  }
  schedulePoll(pollErrors === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** pollErrors, MAX_POLL_DELAY_MS));
}
function startPolling(): void {
  pollStopped = false;
  pollErrors = 0;
  schedulePoll(POLL_MS);
}
document.addEventListener("visibilitychange", () => {
  if (document.hidden) {
    clearTimeout(pollTimer);
    pollTimer = undefined;
  } else if (ready) {
    pollStopped = false;
    pollErrors = 0;
    schedulePoll(0);
  }
});

/** The whole history, page after page (the server pages it) until a page comes back empty. */
async function loadHistory(): Promise<void> {
  try {
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
      const before = history.cursor;
      const data = await api.list(sessionId, before);
      for (const m of history.unseen(data.messages)) addMessage(m.from, m.text, { at: m.at });
      history.advance(data.cursor);
      if (data.messages.length === 0 || history.cursor === before) break;
    }
  } catch {
    showError(T.historyError);
  }
  empty.hidden = log.childElementCount > 0;
  scrollToBottom();
  ready = true;
  updateComposer();
  startPolling();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitText();
});
input.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  submitText();
});
input.addEventListener("input", () => {
  autosize();
  updateComposer();
});

// In the widget, the frame taking focus (the bubble opened by keyboard) puts the cursor in the text box.
if (embed.embedded) {
  window.addEventListener("focus", () => input.focus());
  if (document.hasFocus()) input.focus();
}
// Tells the widget the chat runs (a frame its CSP refused never does); only the embedding origin hears it.
if (embed.host && window.parent !== window) window.parent.postMessage({ type: READY_MESSAGE }, embed.host);
updateComposer();
void loadHistory();
