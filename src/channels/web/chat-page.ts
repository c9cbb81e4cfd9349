import type { Locale } from "../../core/locale.ts";
import { escapeHtml, inlinePageCsp, SHIELD_ICON, scriptJson } from "../../http/inline-page.ts";

/**
 * The web chat page served at `GET /`: one self-contained HTML document with exactly one inline
 * `<style>` and one inline `<script>`, no external resources, no inline handlers or `style=`
 * attributes, so it runs under the strict `CHAT_PAGE_CSP` (hashes of the two blocks, computed here).
 *
 * The script talks to the same origin only:
 * - `POST /web/messages` `{sessionId, text | buttonId, clientMessageId, locale}` → `{conversationId,
 *   status, message?: {id, from, text, at}, replies: [{text, buttons?: [{id, label}]}]}`, where
 *   `message`, present when the store kept another form of the user's text (a pasted secret
 *   redacted), replaces the text of the user's bubble;
 *   errors `{error: {message, field?}}`;
 * - `GET /web/messages?sessionId=…[&after=<cursor>]` → `{messages: [{id, from, text, at}], cursor}`.
 *
 * The session id (base64url of 24 random bytes) lives in localStorage; no cookies, no tracking.
 */

/** The page's title and heading: the operator replaces it. It is outside the hashed blocks. */
export const CHAT_PAGE_BRAND = "Example Wallet Support";

/** The most characters a message may have (the text box's maxlength and the script's own check). */
export const CHAT_MAX_CHARS = 4000;

export interface ChatPageStrings {
  /** The safety notice under the title. */
  notice: string;
  /** The text box's label (visually hidden) and the hint shown inside it while empty. */
  label: string;
  inputHint: string;
  send: string;
  /** Generic failure (server error, unreadable answer). */
  error: string;
  /** The server could not be reached, even after one retry. */
  network: string;
  tooLong: string;
  historyError: string;
  /** Shown under a user message that failed to send. */
  notSent: string;
  /** Who wrote a message: each message is an `article` named by its author. */
  you: string;
  bot: string;
  agent: string;
  /** Shown in an empty conversation. */
  empty: string;
  /** The accessible name of the message log. */
  log: string;
}

/** The page's own strings; the script picks one set from `navigator.language`. */
export const CHAT_PAGE_STRINGS: Readonly<Record<Locale, ChatPageStrings>> = {
  "zh-Hans": {
    notice: "官方客服：我们绝不会向你索要密码或验证码。",
    label: "消息",
    inputHint: "请输入你的问题…",
    send: "发送",
    error: "抱歉，出了点问题，请稍后再试。",
    network: "无法连接客服，请检查网络后重试。",
    tooLong: `消息太长了，最多 ${CHAT_MAX_CHARS} 个字符。`,
    historyError: "无法加载之前的消息。",
    notSent: "未发送",
    you: "我",
    bot: "客服助手",
    agent: "人工客服",
    empty: "你好！钱包相关的问题都可以问我，用中文或英文都可以。",
    log: "对话记录",
  },
  "zh-Hant": {
    notice: "官方客服：我們絕不會向你索取密碼或驗證碼。",
    label: "訊息",
    inputHint: "請輸入你的問題…",
    send: "傳送",
    error: "抱歉，發生了問題，請稍後再試。",
    network: "無法連線到客服，請檢查網路後再試一次。",
    tooLong: `訊息太長了，最多 ${CHAT_MAX_CHARS} 個字元。`,
    historyError: "無法載入先前的訊息。",
    notSent: "未傳送",
    you: "我",
    bot: "客服助手",
    agent: "真人客服",
    empty: "你好！錢包相關的問題都可以問我，用中文或英文都可以。",
    log: "對話紀錄",
  },
  en: {
    notice: "Official support — we will never ask for your password or verification code.",
    label: "Message",
    inputHint: "Type your question…",
    send: "Send",
    error: "Sorry, something went wrong. Please try again.",
    network: "Can't reach support. Check your connection and try again.",
    tooLong: `Your message is too long (at most ${CHAT_MAX_CHARS} characters).`,
    historyError: "Couldn't load earlier messages.",
    notSent: "Not sent",
    you: "You",
    bot: "Assistant",
    agent: "Support agent",
    empty: "Hi! Ask me anything about your wallet, in English or Chinese.",
    log: "Conversation",
  },
};

const STYLE = `
:root {
  color-scheme: light dark;
  --page: #eef1f5; --panel: #ffffff; --text: #17202b; --muted: #5d6875; --line: #dde2e8;
  --bot: #f0f2f5; --user: #1f5bd8; --user-text: #ffffff; --accent: #1f5bd8;
  --agent: #fff7e3; --agent-line: #d99a00; --agent-text: #7a5200;
  --safe-bg: #e8f6ee; --safe-text: #17603a; --error-bg: #fdecea; --error-text: #a3231a;
  --field: #f7f8fa;
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #0b0e12; --panel: #14181e; --text: #e6e9ed; --muted: #9aa4b0; --line: #2a313a;
    --bot: #222830; --user: #3767e0; --user-text: #ffffff; --accent: #8eaaff;
    --agent: #2d2614; --agent-line: #c99a2e; --agent-text: #f0c96a;
    --safe-bg: #122a1d; --safe-text: #8fd6aa; --error-bg: #3b1714; --error-text: #ffb4ab;
    --field: #1b2028;
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; }
body {
  background: var(--page); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%;
}
/* Traditional Chinese: the platforms' TC fonts first, for the Han forms Taiwan and Hong Kong read. */
body:lang(zh-Hant) {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "PingFang TC", "PingFang HK",
    "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC", "WenQuanYi Micro Hei", sans-serif;
}
.app {
  display: flex; flex-direction: column; height: 100%; height: 100dvh;
  max-width: 760px; margin: 0 auto; background: var(--panel);
}
@media (min-width: 800px) {
  .app { border-left: 1px solid var(--line); border-right: 1px solid var(--line); }
}
.top {
  flex: none; padding: 10px 16px; padding-top: max(10px, env(safe-area-inset-top));
  border-bottom: 1px solid var(--line);
}
.top h1 { margin: 0; font-size: 1.0625rem; line-height: 1.3; font-weight: 650; }
.notice {
  display: flex; gap: 6px; align-items: flex-start; margin: 6px 0 0; padding: 6px 10px;
  border-radius: 8px; background: var(--safe-bg); color: var(--safe-text);
  font-size: 0.8125rem; line-height: 1.4;
}
.notice svg { flex: none; width: 16px; height: 16px; margin-top: 1px; }
.scroll {
  flex: 1; min-height: 0; position: relative; overflow-y: auto; overscroll-behavior: contain;
  padding: 16px 12px 12px;
}
.empty { margin: 24px auto; max-width: 26em; text-align: center; color: var(--muted); }
.log { display: flex; flex-direction: column; gap: 12px; }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: min(86%, 36em); }
.msg.user { align-self: flex-end; align-items: flex-end; }
.who { margin: 0 4px 3px; font-size: 0.75rem; line-height: 1.3; color: var(--muted); }
.agent .who { color: var(--agent-text); font-weight: 600; }
.bubble {
  margin: 0; padding: 9px 13px; border-radius: 18px; background: var(--bot);
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.bot .bubble { border-bottom-left-radius: 6px; }
.agent .bubble {
  background: var(--agent); border: 1px solid var(--agent-line); border-bottom-left-radius: 6px;
}
.user .bubble { background: var(--user); color: var(--user-text); border-bottom-right-radius: 6px; }
.failed .bubble { opacity: 0.55; }
.note { margin: 3px 4px 0; font-size: 0.75rem; color: var(--error-text); }
.choices { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.choice {
  min-height: 44px; padding: 8px 18px; border: 1px solid var(--accent); border-radius: 22px;
  background: var(--panel); color: var(--accent); font: inherit; line-height: 1.3; cursor: pointer;
  touch-action: manipulation;
}
.choice:hover:not(:disabled) { background: var(--bot); }
.choice:disabled { cursor: default; border-color: var(--line); color: var(--muted); background: var(--panel); }
.choice.chosen:disabled { border-color: var(--muted); color: var(--text); background: var(--bot); }
.typing .bubble { display: flex; gap: 5px; align-items: center; min-height: 40px; }
.typing span {
  width: 7px; height: 7px; border-radius: 50%; background: var(--muted);
  animation: blink 1.2s infinite ease-in-out both;
}
.typing span:nth-child(2) { animation-delay: 0.2s; }
.typing span:nth-child(3) { animation-delay: 0.4s; }
@keyframes blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing span { animation: none; opacity: 0.6; } }
.status {
  flex: none; margin: 0; padding: 8px 16px; background: var(--error-bg); color: var(--error-text);
  font-size: 0.875rem; line-height: 1.4;
}
.composer {
  flex: none; display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px;
  padding-bottom: max(10px, env(safe-area-inset-bottom)); border-top: 1px solid var(--line);
  background: var(--panel);
}
.field { position: relative; flex: 1; min-width: 0; display: flex; }
.field textarea {
  flex: 1; min-width: 0; min-height: 46px; margin: 0; padding: 11px 14px; resize: none;
  border: 1px solid var(--line); border-radius: 14px; background: var(--field); color: var(--text);
  font: inherit; font-size: 16px; line-height: 1.4;
}
.field textarea::placeholder { color: var(--muted); opacity: 1; }
.count {
  position: absolute; right: 8px; top: -20px; padding: 0 4px; border-radius: 4px;
  background: var(--panel); color: var(--muted); font-size: 0.75rem;
}
.count.over { color: var(--error-text); font-weight: 600; }
.send {
  flex: none; min-height: 46px; min-width: 72px; padding: 0 18px; border: 0; border-radius: 14px;
  background: var(--user); color: var(--user-text); font: inherit; font-weight: 600; cursor: pointer;
  touch-action: manipulation;
}
.send:disabled { background: var(--line); color: var(--muted); cursor: default; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.field textarea:focus-visible { outline-offset: 0; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
`;

/*
 * Plain ES2020 in a String.raw template: no backticks and no "${" inside, other than the strings
 * below; non-ASCII characters are written as \u escapes so the script text is pure ASCII.
 */
const SCRIPT = String.raw`
"use strict";
(() => {
  const STRINGS = ${scriptJson(CHAT_PAGE_STRINGS)};
  const MAX_CHARS = ${CHAT_MAX_CHARS};
  const API = "/web/messages";
  const SESSION_KEY = "guardline.sessionId";
  const SESSION_RE = /^[A-Za-z0-9_-]{22,128}$/;
  const POLL_MS = 3000;
  const MAX_POLL_DELAY_MS = 60000;
  const MAX_POLL_ERRORS = 6;
  const REQUEST_TIMEOUT_MS = 30000;
  const RETRY_DELAY_MS = 1000;
  const RETRY_STATUSES = [502, 503, 504];
  const MAX_HISTORY_PAGES = 20;

  const pickLocale = (tag) => {
    const t = String(tag || "").toLowerCase().replace(/_/g, "-");
    if (!/^zh(-|$)/.test(t)) return "en";
    if (/-hant(-|$)/.test(t)) return "zh-Hant";
    if (/-hans(-|$)/.test(t)) return "zh-Hans";
    return /-(tw|hk|mo)(-|$)/.test(t) ? "zh-Hant" : "zh-Hans";
  };
  const locale = pickLocale(navigator.language);
  const T = STRINGS[locale];

  const byId = (id) => document.getElementById(id);
  const scroller = byId("scroll");
  const log = byId("log");
  const empty = byId("empty");
  const statusLine = byId("status");
  const form = byId("composer");
  const input = byId("text");
  const counter = byId("count");
  const sendButton = byId("send");

  document.documentElement.lang = locale;
  byId("notice-text").textContent = T.notice;
  byId("text-label").textContent = T.label;
  log.setAttribute("aria-label", T.log);
  input.placeholder = T.inputHint;
  input.maxLength = MAX_CHARS;
  sendButton.textContent = T.send;
  empty.textContent = T.empty;

  const randomId = () => {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const loadSessionId = () => {
    try {
      const stored = localStorage.getItem(SESSION_KEY);
      if (stored && SESSION_RE.test(stored)) return stored;
      const fresh = randomId();
      localStorage.setItem(SESSION_KEY, fresh);
      return fresh;
    } catch {
      return randomId();
    }
  };
  const sessionId = loadSessionId();

  let ready = false;
  let inFlight = false;
  let cursor = null;
  let nameSeq = 0;
  let typing = null;
  let openRows = [];
  const seen = new Set();
  let pollTimer = 0;
  let pollRunning = false;
  let pollStopped = true;
  let pollErrors = 0;

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const timeFormat = (() => {
    try {
      return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    } catch {
      return null;
    }
  })();
  const formatTime = (at) => {
    if (!timeFormat || typeof at !== "string") return "";
    const date = new Date(at);
    return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
  };

  const scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
  };
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  /* Shows a message and what follows it: at the top of the view when the rest is taller than it. */
  const reveal = (node) => {
    scroller.scrollTop = Math.min(node.offsetTop - 12, scroller.scrollHeight - scroller.clientHeight);
  };

  const setRowsDisabled = (rows, disabled) => {
    for (const row of rows) {
      for (const button of row.querySelectorAll("button")) {
        button.disabled = disabled;
        if (!disabled) button.classList.remove("chosen");
      }
    }
  };

  const addChoices = (article, buttons) => {
    const valid = buttons.filter(
      (b) => b && typeof b.id === "string" && typeof b.label === "string" && b.label !== "",
    );
    if (valid.length === 0) return;
    const row = make("div", "choices");
    for (const choice of valid) {
      const button = make("button", "choice", choice.label);
      button.type = "button";
      button.addEventListener("click", () => {
        if (button.disabled || inFlight || !ready) return;
        button.classList.add("chosen");
        send({ buttonId: choice.id }, choice.label);
      });
      row.append(button);
    }
    article.append(row);
    openRows.push(row);
  };

  /*
   * One message: an article named by its author, the text (newlines kept) and optional buttons;
   * at the end of the log, or before the article "before".
   */
  const addMessage = (from, text, buttons, at, before) => {
    const kind = from === "user" || from === "agent" ? from : "bot";
    const article = make("article", "msg " + kind);
    const who = make("p", kind === "agent" ? "who" : "who sr-only");
    const name = make("span", "", T[kind === "user" ? "you" : kind]);
    nameSeq += 1;
    name.id = "author-" + nameSeq;
    article.setAttribute("aria-labelledby", name.id);
    who.append(name);
    const time = kind === "agent" ? formatTime(at) : "";
    if (time) who.append(make("span", "", " \u00b7 " + time));
    article.append(who, make("p", "bubble", text));
    if (buttons?.length) addChoices(article, buttons);
    empty.hidden = true;
    if (before) log.insertBefore(article, before);
    else if (typing) log.insertBefore(article, typing);
    else log.append(article);
    return article;
  };

  const showTyping = () => {
    typing = make("div", "msg bot typing");
    typing.setAttribute("aria-hidden", "true");
    const dots = make("p", "bubble");
    dots.append(make("span"), make("span"), make("span"));
    typing.append(dots);
    log.append(typing);
  };
  const hideTyping = () => {
    if (typing) typing.remove();
    typing = null;
  };

  const showError = (message) => {
    statusLine.textContent = message;
    statusLine.hidden = false;
  };
  const clearError = () => {
    statusLine.hidden = true;
    statusLine.textContent = "";
  };

  const updateComposer = () => {
    const length = input.value.length;
    sendButton.disabled = !ready || inFlight || input.value.trim() === "";
    counter.hidden = length < MAX_CHARS - 400;
    counter.textContent = length + " / " + MAX_CHARS;
    counter.classList.toggle("over", length > MAX_CHARS);
  };
  const autosize = () => {
    let rows = 1;
    input.rows = rows;
    while (rows < 6 && input.scrollHeight > input.clientHeight + 1) {
      rows += 1;
      input.rows = rows;
    }
  };

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const request = async (url, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      return await fetch(url, { ...init, credentials: "omit", cache: "no-store", signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
  const readJson = async (response) => {
    try {
      return await response.json();
    } catch {
      return null;
    }
  };
  /* A concise error: the server's own message for 4xx, the page's generic text otherwise. */
  const failure = (response, data) => {
    const detail = data && typeof data === "object" ? data.error?.message : undefined;
    let message = T.error;
    if (response.status < 500 && typeof detail === "string" && detail.trim() !== "") {
      message = detail.trim();
      if (message.length > 200) message = message.slice(0, 199) + "\u2026";
    }
    const error = new Error(message);
    error.status = response.status;
    return error;
  };

  /* Sends one message; after a network error (or 502/503/504) retries once with the same body. */
  const postMessage = async (body) => {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        response = await request(API, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: payload,
        });
      } catch {
        if (attempt === 0) {
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        throw new Error(T.network);
      }
      if (attempt === 0 && RETRY_STATUSES.includes(response.status)) {
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      const data = await readJson(response);
      if (!response.ok) throw failure(response, data);
      if (!data || typeof data !== "object") throw new Error(T.error);
      return data;
    }
  };

  const send = async (fields, shownText, restoreText) => {
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
    const body = { sessionId, ...fields, clientMessageId: randomId(), locale };
    try {
      const data = await postMessage(body);
      hideTyping();
      const stored = data.message;
      if (stored && typeof stored.text === "string") {
        /* What the server kept: a pasted secret shows redacted from now on, not only after a reload. */
        const bubble = mine.querySelector(".bubble");
        if (bubble && bubble.textContent !== stored.text) bubble.textContent = stored.text;
        remember(stored);
      }
      const replies = Array.isArray(data.replies) ? data.replies : [];
      for (const reply of replies) {
        if (reply && typeof reply.text === "string") {
          addMessage("bot", reply.text, Array.isArray(reply.buttons) ? reply.buttons : []);
        }
      }
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
      showError(error?.message || T.error);
      scrollToBottom();
    } finally {
      inFlight = false;
      updateComposer();
    }
  };

  const submitText = () => {
    const text = input.value.trim();
    if (!ready || inFlight || text === "") return;
    if (text.length > MAX_CHARS) {
      showError(T.tooLong);
      return;
    }
    input.value = "";
    autosize();
    send({ text }, text, text);
  };

  const fetchMessages = async (after) => {
    const query = new URLSearchParams({ sessionId });
    if (after) query.set("after", after);
    const response = await request(API + "?" + query.toString(), {
      method: "GET",
      headers: { Accept: "application/json" },
    });
    const data = await readJson(response);
    if (!response.ok) throw failure(response, data);
    if (!data || !Array.isArray(data.messages)) throw new Error(T.error);
    return data;
  };
  const isNew = (m) =>
    m &&
    typeof m.text === "string" &&
    (m.from === "user" || m.from === "bot" || m.from === "agent") &&
    !(typeof m.id === "string" && seen.has(m.id));
  const remember = (m) => {
    if (typeof m.id === "string") seen.add(m.id);
  };
  const advance = (data) => {
    if (typeof data.cursor === "string" && data.cursor !== "") cursor = data.cursor;
  };

  /* Polling for agents' messages: every 3 s while the tab is visible, backing off on errors. */
  const schedulePoll = (delay) => {
    clearTimeout(pollTimer);
    pollTimer = 0;
    if (pollStopped || document.hidden || pollRunning) return;
    pollTimer = setTimeout(poll, delay);
  };
  /*
   * After a turn, move the cursor past its own messages (already shown from the POST answer) so that
   * later polls show only what others wrote: agents' replies and the bot's notices (hand-back,
   * resolved, idle). Agent replies that arrived meanwhile are shown now, in their place: one written
   * before the user's message goes above it.
   */
  const syncAfterTurn = async (mine) => {
    try {
      const data = await fetchMessages(cursor);
      let passedMine = false;
      for (const m of data.messages) {
        if (m && m.from === "user") passedMine = true;
        if (m && m.from === "agent" && isNew(m)) addMessage("agent", m.text, null, m.at, passedMine ? null : mine);
        if (m) remember(m);
      }
      advance(data);
    } catch {
      /* The next poll catches up. */
    }
  };
  const poll = async () => {
    pollTimer = 0;
    if (pollStopped || document.hidden || pollRunning) return;
    if (inFlight) {
      schedulePoll(POLL_MS);
      return;
    }
    pollRunning = true;
    try {
      const data = await fetchMessages(cursor);
      const stick = nearBottom();
      let added = false;
      for (const m of data.messages) {
        if (m && (m.from === "agent" || (m.from === "bot" && !inFlight)) && isNew(m)) {
          remember(m);
          addMessage(m.from, m.text, null, m.from === "agent" ? m.at : undefined);
          added = true;
        }
      }
      advance(data);
      pollErrors = 0;
      if (added && stick) scrollToBottom();
    } catch (error) {
      pollErrors += 1;
      const status = error?.status;
      const hopeless = status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (hopeless || pollErrors >= MAX_POLL_ERRORS) pollStopped = true;
    } finally {
      pollRunning = false;
    }
    schedulePoll(pollErrors === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** pollErrors, MAX_POLL_DELAY_MS));
  };
  const startPolling = () => {
    pollStopped = false;
    pollErrors = 0;
    schedulePoll(POLL_MS);
  };
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(pollTimer);
      pollTimer = 0;
    } else if (ready) {
      pollStopped = false;
      pollErrors = 0;
      schedulePoll(0);
    }
  });

  /* The whole history, page after page (the server pages it) until a page comes back empty. */
  const loadHistory = async () => {
    try {
      for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
        const before = cursor;
        const data = await fetchMessages(before);
        for (const m of data.messages) {
          if (isNew(m)) {
            remember(m);
            addMessage(m.from, m.text, null, m.at);
          }
        }
        advance(data);
        if (data.messages.length === 0 || cursor === before) break;
      }
    } catch {
      showError(T.historyError);
    }
    empty.hidden = log.childElementCount > 0;
    scrollToBottom();
    ready = true;
    updateComposer();
    startPolling();
  };

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

  updateComposer();
  loadHistory();
})();
`;

/** The Content-Security-Policy to send with `CHAT_PAGE_HTML` (the page works under nothing looser). */
export const CHAT_PAGE_CSP: string = inlinePageCsp(SCRIPT, STYLE);

/** The complete page for `GET /`. English until the script picks the visitor's language. */
export const CHAT_PAGE_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover, interactive-widget=resizes-content">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(CHAT_PAGE_BRAND)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<div class="app">
<header class="top">
<h1>${escapeHtml(CHAT_PAGE_BRAND)}</h1>
<p class="notice">${SHIELD_ICON}<span id="notice-text">${escapeHtml(CHAT_PAGE_STRINGS.en.notice)}</span></p>
</header>
<main id="scroll" class="scroll">
<p id="empty" class="empty" hidden></p>
<div id="log" class="log" role="log" aria-live="polite" aria-label="${escapeHtml(CHAT_PAGE_STRINGS.en.log)}"></div>
</main>
<p id="status" class="status" role="alert" hidden></p>
<form id="composer" class="composer" novalidate>
<div class="field">
<label id="text-label" class="sr-only" for="text">${escapeHtml(CHAT_PAGE_STRINGS.en.label)}</label>
<textarea id="text" name="text" rows="1" maxlength="${CHAT_MAX_CHARS}" enterkeyhint="send" autocomplete="off" placeholder="${escapeHtml(CHAT_PAGE_STRINGS.en.inputHint)}"></textarea>
<span id="count" class="count" aria-hidden="true" hidden></span>
</div>
<button id="send" class="send" type="submit" disabled>${escapeHtml(CHAT_PAGE_STRINGS.en.send)}</button>
</form>
</div>
<noscript><p class="status">This chat needs JavaScript.</p></noscript>
<script>${SCRIPT}</script>
</body>
</html>
`;
