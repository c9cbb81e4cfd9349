import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED_DIR } from "../config.ts";
import { escapeHtml, inlinePageCsp, SHIELD_ICON, scriptJson } from "../http/inline-page.ts";

/**
 * The agent console served at `GET /console`: one self-contained HTML document with exactly one
 * inline `<style>` and one inline `<script>`, no external resources, no inline handlers or `style=`
 * attributes, so it runs under the strict `CONSOLE_PAGE_CSP` (hashes of the two blocks, computed here).
 * Everything users wrote is untrusted: the script builds the DOM with `textContent` only.
 *
 * The script talks to the same origin only, with `Authorization: Bearer <agent token>` (the token is
 * kept in sessionStorage, so it is forgotten with the tab); errors are `{error: {message, field?}}`:
 * - `GET /agent/me` → `{agent: {id, name, role}, cannedReplies: [{id, label, text: {zh-Hans, zh-Hant, en}}]}`
 *   (texts rendered: brand and registry contacts filled in);
 * - `GET /agent/conversations?status=waiting|mine` → `{conversations: [{id, status, priority, channel,
 *   language, waitingSince?, claimedBy?, updatedAt, flags, overdue}]}` (already sorted);
 * - `GET /agent/conversations/{id}` → `{conversation: {…, user}, messages: [{id, from, text, at, agent?}]}`
 *   where `from` is `user`, `bot`, `agent` or `note` (an internal note, never shown to the user);
 * - `POST /agent/conversations/{id}/claim | handback | resolve` → `{conversation}` (claim: 409 when
 *   another agent was first);
 * - `POST /agent/conversations/{id}/messages | notes` `{text}` → `{message}`.
 * Both lists and the open conversation are polled every 3 s while the tab is visible.
 *
 * Admins also get the Insights view: web/console/insights.ts, bundled with Chart.js into
 * generated/console/ by `scripts/build-web.ts` and inlined here as a second hashed script and style.
 * The script below tells it who signed in with a `guardline:session` event ({token, role}; null
 * on sign-out).
 */

/** The most characters a reply or note may have (the text box's maxlength and the script's own check). */
export const CONSOLE_MAX_CHARS = 4000;

/** The console's strings (English; the conversations themselves are in the users' languages). */
export const CONSOLE_STRINGS = {
  title: "Agent console",
  brand: "Guardline",
  loginTitle: "Sign in to the agent console",
  loginIntro:
    "Paste the token you were given. It stays in this browser tab only and is forgotten when you close it.",
  tokenLabel: "Agent token",
  signIn: "Sign in",
  signingIn: "Signing in…",
  signOut: "Sign out",
  badToken: "That token was not accepted. Check it and try again.",
  sessionEnded: "Your session has ended (the token is no longer accepted). Sign in again.",
  signedOut: "You have signed out.",
  network: "Can't reach the server. Check your connection and try again.",
  error: "Something went wrong. Please try again.",
  offline: "Connection problem, retrying…",
  signedInAs: "Signed in as",
  insights: "Insights",
  conversations: "Conversations",
  queue: "Queue",
  mine: "Mine",
  queueEmpty: "No one is waiting.",
  mineEmpty: "You have no conversations.",
  listError: "Couldn't load this list.",
  urgent: "Urgent",
  normal: "Normal",
  overdue: "Overdue",
  waiting: "waiting",
  updated: "updated",
  ago: "ago",
  lessThanMinute: "<1 min",
  minutes: "min",
  hours: "h",
  days: "d",
  choose: "Choose a conversation from the Queue or Mine.",
  loading: "Loading…",
  conversation: "Conversation",
  userLabel: "User",
  statusWaiting: "Waiting",
  statusMine: "With you",
  statusAgent: "With an agent",
  statusBot: "With the bot",
  statusClosed: "Resolved",
  claim: "Claim",
  handback: "Hand back to bot",
  resolve: "Resolve",
  resolveTitle: "Resolve this conversation?",
  resolveText:
    "It is closed and leaves your list. If the user writes again, the bot answers in a new conversation.",
  resolveConfirm: "Resolve conversation",
  cancel: "Cancel",
  claimed: "Claimed. You can reply now.",
  handedBack: "Handed back to the bot.",
  resolved: "Conversation resolved.",
  claimFirst: "Claim this conversation to reply.",
  claimedBy: "Claimed by",
  readOnly: "read only.",
  botHandles: "The bot is handling this conversation. Read only.",
  closedText: "This conversation is resolved. Read only.",
  notFound: "This conversation no longer exists.",
  transcript: "Transcript",
  noMessages: "No messages yet.",
  fromUser: "User",
  fromBot: "Bot",
  fromAgent: "Agent",
  you: "you",
  noteLabel: "Internal note \u2014 not sent",
  mode: "Message type",
  modeReply: "Reply to user",
  modeNote: "Internal note",
  replyLabel: "Message to the user",
  noteBoxLabel: "Internal note (never sent to the user)",
  replyPlaceholder: "Write a reply…",
  notePlaceholder: "Write a note for other agents…",
  sendReply: "Send reply",
  addNote: "Add note",
  sending: "Sending…",
  canned: "Canned reply",
  cannedPick: "Insert a canned reply…",
  keys: "Enter sends · Shift+Enter for a new line",
  tooLong: `Too long: at most ${CONSOLE_MAX_CHARS} characters.`,
  flags: { secret_shared: "Secret shared" } as Record<string, string>,
  channels: { web: "Web", telegram: "Telegram", discord: "Discord", meta: "Meta" } as Record<string, string>,
  platforms: { whatsapp: "WhatsApp", messenger: "Messenger" } as Record<string, string>,
  replyBy: "Reply by",
  windowClosed: "Reply window closed",
  windowClosedTitle: "The platform no longer takes messages to this user until they write again.",
  languages: {
    "zh-Hans": "Simplified Chinese",
    "zh-Hant": "Traditional Chinese",
    en: "English",
  } as Record<string, string>,
};

const STYLE = `
:root {
  color-scheme: light dark;
  --page: #eef1f5; --panel: #ffffff; --text: #17202b; --muted: #5d6875; --line: #dde2e8;
  --hover: #f3f5f8; --current: #e6eefc; --accent: #1f5bd8; --accent-text: #ffffff;
  --user-bubble: #eef1f5; --bot: #ffffff; --bot-line: #cfd6df; --agent: #dde8fd; --agent-text: #12357f;
  --note: #fff4c7; --note-line: #c99700; --note-text: #5c4300;
  --urgent: #c62a1f; --urgent-bg: #fdecea; --badge: #eef0f3;
  --ok-bg: #e8f6ee; --ok-text: #17603a; --error-bg: #fdecea; --error-text: #a3231a;
  --field: #ffffff; --shadow: 0 8px 30px rgb(15 23 42 / 0.18);
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #0b0e12; --panel: #14181e; --text: #e6e9ed; --muted: #9aa4b0; --line: #2a313a;
    --hover: #1b2129; --current: #1c2a45; --accent: #8eaaff; --accent-text: #0b0e12;
    --user-bubble: #222830; --bot: #14181e; --bot-line: #3a434f; --agent: #1d2c4d; --agent-text: #c9d8ff;
    --note: #3a3114; --note-line: #c99a2e; --note-text: #f3d98a;
    --urgent: #ff8a80; --urgent-bg: #3b1714; --badge: #232a33;
    --ok-bg: #122a1d; --ok-text: #8fd6aa; --error-bg: #3b1714; --error-text: #ffb4ab;
    --field: #1b2028; --shadow: 0 8px 30px rgb(0 0 0 / 0.5);
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; }
body {
  background: var(--page); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
}
:lang(zh-Hant) {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "PingFang TC", "PingFang HK",
    "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC", "WenQuanYi Micro Hei", sans-serif;
}
button, input, select, textarea { font: inherit; color: inherit; }
h1, h2, p { margin: 0; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.btn {
  display: inline-flex; align-items: center; justify-content: center; min-height: 32px;
  padding: 0 12px; border: 1px solid var(--line); border-radius: 7px; background: var(--panel);
  font-weight: 550; line-height: 1.2; white-space: nowrap; cursor: pointer;
}
.btn:hover:not(:disabled) { background: var(--hover); }
.btn.primary { border-color: var(--accent); background: var(--accent); color: var(--accent-text); }
.btn.primary:hover:not(:disabled) { filter: brightness(1.08); background: var(--accent); }
.btn.danger { border-color: var(--urgent); color: var(--urgent); }
.btn.danger.solid { background: var(--urgent); color: #ffffff; }
.btn.danger.solid:hover:not(:disabled) { filter: brightness(1.08); background: var(--urgent); }
.btn:disabled { opacity: 0.5; cursor: default; }

/* Sign-in */
.login { display: grid; place-items: center; min-height: 100%; padding: 24px; }
.login-card {
  width: min(400px, 100%); padding: 28px; border: 1px solid var(--line); border-radius: 12px;
  background: var(--panel); box-shadow: var(--shadow);
}
.brand { display: flex; align-items: center; gap: 8px; font-weight: 700; }
.brand svg { width: 20px; height: 20px; color: var(--accent); flex: none; }
.login-card h1 { margin: 14px 0 6px; font-size: 1.25rem; line-height: 1.3; }
.login-card .intro { color: var(--muted); margin-bottom: 18px; }
.login-card label { display: block; margin-bottom: 4px; font-weight: 600; }
.login-card input {
  display: block; width: 100%; min-height: 38px; padding: 6px 10px; border: 1px solid var(--line);
  border-radius: 7px; background: var(--field); font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
}
.login-card .btn { width: 100%; min-height: 38px; margin-top: 14px; }
.login-error {
  margin-top: 14px; padding: 8px 10px; border-radius: 7px; background: var(--error-bg);
  color: var(--error-text);
}
.login-info { margin-top: 14px; padding: 8px 10px; border-radius: 7px; background: var(--ok-bg); color: var(--ok-text); }

/* The console */
.app { display: grid; grid-template-rows: auto minmax(0, 1fr); height: 100%; height: 100dvh; }
.topbar {
  display: flex; align-items: center; gap: 12px; min-height: 48px; padding: 6px 16px;
  border-bottom: 1px solid var(--line); background: var(--panel);
}
.topbar .brand { font-size: 0.9375rem; }
.topbar .product { color: var(--muted); font-weight: 500; }
.spacer { flex: 1; }
.conn { padding: 2px 8px; border-radius: 999px; background: var(--error-bg); color: var(--error-text); font-size: 0.8125rem; }
.me { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.me strong { color: var(--text); font-weight: 600; }
.role { margin-left: 6px; padding: 1px 7px; border-radius: 999px; background: var(--badge); font-size: 0.75rem; }
.workspace { display: grid; grid-template-columns: 340px minmax(0, 1fr); min-height: 0; }
@media (max-width: 1150px) { .workspace { grid-template-columns: 290px minmax(0, 1fr); } }
.sidebar { min-height: 0; overflow-y: auto; border-right: 1px solid var(--line); background: var(--panel); }
.list-head {
  position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 8px;
  padding: 10px 14px 6px; background: var(--panel); border-bottom: 1px solid var(--line);
}
.list-head h2 { font-size: 0.75rem; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.count { min-width: 20px; padding: 0 6px; border-radius: 999px; background: var(--badge); font-size: 0.75rem; text-align: center; font-weight: 600; }
.count.hot { background: var(--urgent); color: #ffffff; }
.rows { list-style: none; margin: 0; padding: 0; }
.list-note { padding: 10px 14px 14px; color: var(--muted); }
.list-note.bad { color: var(--error-text); }
.row {
  display: flex; flex-direction: column; gap: 4px; width: 100%; padding: 8px 14px 8px 11px; border: 0;
  border-left: 3px solid transparent; border-bottom: 1px solid var(--line); background: transparent;
  text-align: left; cursor: pointer;
}
.row:hover { background: var(--hover); }
.row[aria-current="true"] { background: var(--current); border-left-color: var(--accent); }
.row:focus-visible { outline-offset: -2px; }
.line { display: flex; align-items: center; gap: 6px; min-width: 0; flex-wrap: wrap; }
.line .grow { flex: 1; }
.line.first { flex-wrap: nowrap; }
.line.first > * { flex: none; }
.line.first > .grow { flex: 1; }
.line.first > .ref { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.meta { color: var(--muted); font-size: 0.8125rem; white-space: nowrap; }
.ref { color: var(--muted); font-size: 0.75rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.badge {
  display: inline-block; padding: 1px 7px; border-radius: 999px; background: var(--badge);
  font-size: 0.75rem; font-weight: 600; line-height: 1.5; white-space: nowrap;
}
.badge.normal { background: transparent; border: 1px solid var(--line); color: var(--muted); font-weight: 500; padding: 0 6px; }
.badge.urgent { background: var(--urgent); color: #ffffff; }
.badge.flag { background: var(--urgent-bg); color: var(--error-text); }
.badge.overdue { background: transparent; border: 1px solid var(--urgent); color: var(--urgent); padding: 0 6px; }
.badge.status { background: var(--current); color: var(--text); }

.pane { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
.placeholder { flex: 1; display: grid; place-items: center; padding: 24px; color: var(--muted); text-align: center; }
.pane-section { flex: 1; display: grid; grid-template-rows: auto auto minmax(0, 1fr) auto; min-height: 0; }
.conv-head {
  display: flex; align-items: flex-start; gap: 12px; padding: 10px 20px; border-bottom: 1px solid var(--line);
  background: var(--panel);
}
.conv-title { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 5px; }
.conv-title h2 { font-size: 1rem; line-height: 1.3; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.conv-title h2:focus { outline: none; }
.conv-title h2:focus-visible { outline: 2px solid var(--accent); }
.conv-user { font-weight: 500; color: var(--muted); font-size: 0.875rem; overflow-wrap: anywhere; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; justify-content: flex-end; }
.banners { display: flex; flex-direction: column; }
.banner { padding: 7px 20px; border-bottom: 1px solid var(--line); font-size: 0.875rem; }
.banner.info { background: var(--hover); color: var(--muted); }
.banner.ok { background: var(--ok-bg); color: var(--ok-text); }
.banner.bad { background: var(--error-bg); color: var(--error-text); }
.scroll { min-height: 0; overflow-y: auto; padding: 16px 20px; background: var(--panel); }
.log { display: flex; flex-direction: column; gap: 10px; }
.empty { color: var(--muted); text-align: center; margin: 24px 0; }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: min(72%, 46em); align-self: flex-start; }
.msg.bot, .msg.agent { align-self: flex-end; align-items: flex-end; }
.msg.note { align-self: center; align-items: stretch; width: min(86%, 52em); max-width: none; }
.who { margin: 0 4px 2px; font-size: 0.75rem; color: var(--muted); }
.who .name { font-weight: 600; }
.agent .who .name { color: var(--agent-text); }
.bubble {
  padding: 7px 11px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere;
  border: 1px solid var(--line); background: var(--panel);
}
.user .bubble { background: var(--user-bubble); border-color: var(--user-bubble); border-bottom-left-radius: 4px; }
.bot .bubble { background: var(--bot); border-color: var(--bot-line); border-bottom-right-radius: 4px; }
.agent .bubble { background: var(--agent); border-color: var(--agent); color: var(--agent-text); border-bottom-right-radius: 4px; }
.note .bubble { background: var(--note); border: 1px dashed var(--note-line); color: var(--note-text); border-radius: 8px; }
.note .who { color: var(--note-text); }
.note .who .name { text-transform: uppercase; letter-spacing: 0.04em; }

.composer { border-top: 1px solid var(--line); background: var(--panel); padding: 10px 20px 12px; }
.composer.note-mode { background: var(--note); }
.composer-top { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; flex-wrap: wrap; }
.modes { display: inline-flex; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: var(--panel); }
.modes legend { padding: 0; }
.mode { position: relative; display: inline-flex; align-items: center; min-height: 30px; padding: 0 12px; cursor: pointer; font-weight: 550; color: var(--muted); }
.mode + .mode { border-left: 1px solid var(--line); }
.mode input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: pointer; }
.mode:has(input:checked) { background: var(--accent); color: var(--accent-text); }
.mode.note-choice:has(input:checked) { background: var(--note-line); color: #1d1500; }
.mode:has(input:focus-visible) { outline: 2px solid var(--accent); outline-offset: 1px; z-index: 1; }
.mode:has(input:disabled) { cursor: default; opacity: 0.6; }
.canned { display: flex; align-items: center; gap: 6px; margin-left: auto; min-width: 0; }
.canned label { color: var(--muted); white-space: nowrap; }
.canned select {
  min-height: 30px; max-width: 260px; padding: 0 6px; border: 1px solid var(--line); border-radius: 7px;
  background: var(--field);
}
.box-label { display: block; margin-bottom: 4px; font-weight: 600; font-size: 0.8125rem; }
.note-mode .box-label { color: var(--note-text); }
.composer textarea {
  display: block; width: 100%; min-height: 64px; max-height: 40vh; padding: 8px 10px; resize: vertical;
  border: 1px solid var(--line); border-radius: 8px; background: var(--field); line-height: 1.45;
}
.note-mode textarea { border: 1px dashed var(--note-line); }
.composer textarea:focus-visible { outline-offset: 0; }
.composer textarea:disabled { opacity: 0.6; }
.composer-bottom { display: flex; align-items: center; gap: 12px; margin-top: 8px; }
.hint { color: var(--muted); font-size: 0.8125rem; }
.chars { color: var(--muted); font-size: 0.8125rem; font-variant-numeric: tabular-nums; }
.chars.over { color: var(--error-text); font-weight: 600; }
.note-mode .send, .note-mode .send:hover:not(:disabled) {
  border-color: var(--note-line); background: var(--note-line); color: #1d1500;
}

dialog {
  width: min(440px, calc(100% - 32px)); padding: 20px; border: 1px solid var(--line); border-radius: 12px;
  background: var(--panel); color: var(--text); box-shadow: var(--shadow);
}
dialog::backdrop { background: rgb(15 23 42 / 0.45); }
dialog h2 { font-size: 1.0625rem; margin-bottom: 8px; }
dialog p { color: var(--muted); }
.dialog-actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 18px; }
.noscript { padding: 16px; }
`;

/*
 * Plain ES2020 in a String.raw template: no backticks and no "${" inside, other than the injected
 * values below; every non-ASCII string comes from STRINGS, so the script text is pure ASCII.
 */
const SCRIPT = String.raw`
"use strict";
(() => {
  const S = ${scriptJson(CONSOLE_STRINGS)};
  const MAX_CHARS = ${CONSOLE_MAX_CHARS};
  const TOKEN_KEY = "guardline.agentToken";
  const POLL_MS = 3000;
  const MAX_POLL_DELAY_MS = 30000;
  const REQUEST_TIMEOUT_MS = 20000;
  const MAX_TOKEN_CHARS = 1024;

  const byId = (id) => document.getElementById(id);
  const el = {
    loginView: byId("login-view"), loginForm: byId("login-form"), token: byId("token"),
    signIn: byId("sign-in"), loginError: byId("login-error"), loginInfo: byId("login-info"),
    app: byId("app"), conn: byId("conn"), meName: byId("me-name"), meRole: byId("me-role"),
    signOut: byId("sign-out"),
    queue: byId("queue"), queueCount: byId("queue-count"), queueNote: byId("queue-note"),
    mine: byId("mine"), mineCount: byId("mine-count"), mineNote: byId("mine-note"),
    placeholder: byId("placeholder"), conv: byId("conv"), convTitle: byId("conv-title"),
    convRef: byId("conv-ref"), convUser: byId("conv-user"), convMeta: byId("conv-meta"),
    claim: byId("claim"), handback: byId("handback"), resolve: byId("resolve"),
    readonly: byId("readonly"), flash: byId("flash"), alert: byId("alert"),
    scroll: byId("scroll"), log: byId("log"), empty: byId("empty"),
    composer: byId("composer"), modeReply: byId("mode-reply"), modeNote: byId("mode-note"),
    cannedWrap: byId("canned-wrap"), canned: byId("canned"), boxLabel: byId("box-label"),
    box: byId("box"), chars: byId("chars"), send: byId("send"),
    dialog: byId("confirm"), confirmOk: byId("confirm-ok"), confirmCancel: byId("confirm-cancel"),
  };

  /* ---- state ---- */
  let token = "";
  let me = null;
  let canned = [];
  let signedIn = false;
  let openId = null;
  let current = null;
  let ticket = 0;
  let appliedTicket = 0;
  let busy = false;
  let sending = false;
  let pollTimer = 0;
  let polling = false;
  let pollAgain = false;
  let pollErrors = 0;
  let lists = { waiting: [], mine: [] };
  const rendered = new Map();
  const drafts = new Map();

  /* ---- helpers ---- */
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const str = (value) => (typeof value === "string" ? value : "");
  const shortRef = (id) => "#" + str(id).slice(0, 6);
  const agentId = (value) => (value && typeof value === "object" ? str(value.id) : str(value));
  const isMe = (value) => {
    if (!me || !value) return false;
    const id = agentId(value);
    return id !== "" && (id === me.id || (typeof value === "string" && value === me.name));
  };
  const agentName = (value) => {
    if (!value) return "";
    if (isMe(value)) return me.name;
    if (typeof value === "object") return str(value.name) || str(value.id);
    return str(value);
  };
  const isMine = (c) => !!c && c.status === "agent" && isMe(c.claimedBy);
  const channelName = (c) => S.platforms[c.platform] || S.channels[c.channel] || str(c.channel) || "?";
  /* WhatsApp and Messenger take an agent's reply only for a while after the user's last message. */
  const replyWindow = (c) => {
    const until = Date.parse(str(c.replyUntil));
    if (Number.isNaN(until) || c.status === "closed" || c.status === "bot") return null;
    if (until <= Date.now()) return badge("overdue", S.windowClosed, S.windowClosedTitle);
    return make("span", "meta", S.replyBy + " " + formatTime(c.replyUntil));
  };
  const timeFormat = (() => {
    try {
      return new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
    } catch {
      return null;
    }
  })();
  const dateTimeFormat = (() => {
    try {
      return new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    } catch {
      return null;
    }
  })();
  const formatTime = (at) => {
    const date = new Date(str(at));
    if (Number.isNaN(date.getTime()) || !timeFormat || !dateTimeFormat) return "";
    const today = new Date().toDateString() === date.toDateString();
    return (today ? timeFormat : dateTimeFormat).format(date);
  };
  /* "3 min", "1 h 05 min", "2 d 4 h" since an ISO time. */
  const since = (at) => {
    const then = Date.parse(str(at));
    if (Number.isNaN(then)) return "";
    const minutes = Math.floor(Math.max(0, Date.now() - then) / 60000);
    if (minutes < 1) return S.lessThanMinute;
    if (minutes < 60) return minutes + " " + S.minutes;
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + " " + S.hours + " " + String(minutes % 60).padStart(2, "0") + " " + S.minutes;
    return Math.floor(hours / 24) + " " + S.days + " " + (hours % 24) + " " + S.hours;
  };
  const timing = (c) => {
    if (c.status === "waiting" && c.waitingSince) return S.waiting + " " + since(c.waitingSince);
    return S.updated + " " + since(c.updatedAt) + " " + S.ago;
  };
  /* For the list rows: "waiting 3 min" or "1 h 05 min ago". */
  const rowTiming = (c) => {
    if (c.status === "waiting" && c.waitingSince) return S.waiting + " " + since(c.waitingSince);
    return since(c.updatedAt) + " " + S.ago;
  };
  const flagList = (c) => (Array.isArray(c.flags) ? c.flags.filter((f) => typeof f === "string") : []);
  const flagName = (f) => S.flags[f] || f.replace(/_/g, " ");
  const badge = (className, text, title) => {
    const node = make("span", "badge " + className, text);
    if (title) node.title = title;
    return node;
  };
  const languageBadge = (language) => badge("lang", str(language) || "?", S.languages[language] || "");

  /* ---- HTTP ---- */
  const readJson = async (response) => {
    try {
      return await response.json();
    } catch {
      return null;
    }
  };
  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }
  const api = async (method, path, body) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers = { Accept: "application/json", Authorization: "Bearer " + token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
        signal: controller.signal,
      });
    } catch {
      throw new ApiError(S.network, 0);
    } finally {
      clearTimeout(timer);
    }
    const data = await readJson(response);
    if (response.ok) {
      if (!data || typeof data !== "object") throw new ApiError(S.error, response.status);
      return data;
    }
    const detail = data && typeof data === "object" && data.error ? data.error.message : undefined;
    let message = S.error;
    if (response.status < 500 && typeof detail === "string" && detail.trim() !== "") {
      message = detail.trim();
      if (message.length > 300) message = message.slice(0, 299) + "\u2026";
    }
    const error = new ApiError(message, response.status);
    if (response.status === 401 && signedIn) endSession(S.sessionEnded, true);
    throw error;
  };
  const conversationPath = (id, action) =>
    "/agent/conversations/" + encodeURIComponent(id) + (action ? "/" + action : "");

  /* ---- banners ---- */
  let flashTimer = 0;
  const showAlert = (message) => {
    el.alert.textContent = message;
    el.alert.hidden = false;
  };
  const clearAlert = () => {
    el.alert.hidden = true;
    el.alert.textContent = "";
  };
  const flash = (message) => {
    clearTimeout(flashTimer);
    el.flash.textContent = message;
    el.flash.hidden = false;
    flashTimer = setTimeout(() => {
      el.flash.hidden = true;
      el.flash.textContent = "";
    }, 5000);
  };
  const clearFlash = () => {
    clearTimeout(flashTimer);
    el.flash.hidden = true;
    el.flash.textContent = "";
  };

  /* ---- sign-in ---- */
  const storeToken = (value) => {
    try {
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage refused (private mode): the token lives in memory only */
    }
  };
  const readToken = () => {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || "";
    } catch {
      return "";
    }
  };
  const showLogin = (message, isError) => {
    el.app.hidden = true;
    el.loginView.hidden = false;
    el.loginError.hidden = true;
    el.loginInfo.hidden = true;
    if (message) {
      const target = isError ? el.loginError : el.loginInfo;
      target.textContent = message;
      target.hidden = false;
    }
    el.signIn.disabled = false;
    el.signIn.textContent = S.signIn;
    el.token.disabled = false;
    el.token.value = "";
    el.token.focus();
  };
  const clearWorkspace = () => {
    closeConversation();
    lists = { waiting: [], mine: [] };
    for (const list of [el.queue, el.mine]) list.replaceChildren();
    drafts.clear();
    canned = [];
    me = null;
    document.title = S.title + " \u00b7 " + S.brand;
  };
  const announce = (detail) => document.dispatchEvent(new CustomEvent("guardline:session", { detail }));
  function endSession(message, isError) {
    announce(null);
    signedIn = false;
    token = "";
    storeToken("");
    clearTimeout(pollTimer);
    pollTimer = 0;
    if (el.dialog.open) el.dialog.close();
    clearWorkspace();
    showLogin(message, isError);
  }
  const enterConsole = (data) => {
    const agent = data.agent && typeof data.agent === "object" ? data.agent : {};
    me = { id: str(agent.id), name: str(agent.name) || str(agent.id), role: str(agent.role) };
    canned = (Array.isArray(data.cannedReplies) ? data.cannedReplies : []).filter(
      (r) => r && typeof r.id === "string" && typeof r.label === "string" && r.text && typeof r.text === "object",
    );
    el.meName.textContent = me.name;
    el.meRole.textContent = me.role;
    el.meRole.hidden = me.role === "";
    el.canned.replaceChildren(make("option", "", S.cannedPick));
    el.canned.firstChild.value = "";
    for (const reply of canned) {
      const option = make("option", "", reply.label);
      option.value = reply.id;
      el.canned.append(option);
    }
    el.cannedWrap.hidden = canned.length === 0;
    signedIn = true;
    pollErrors = 0;
    el.conn.hidden = true;
    el.loginView.hidden = true;
    el.app.hidden = false;
    showPlaceholder();
    schedulePoll(0);
    announce({ token, role: me.role });
  };
  const signIn = async (candidate, failureMessage) => {
    token = candidate;
    try {
      const data = await api("GET", "/agent/me");
      storeToken(candidate);
      enterConsole(data);
      return true;
    } catch (error) {
      token = "";
      storeToken("");
      const status = error && error.status;
      showLogin(status === 401 || status === 403 ? failureMessage : error.message || S.error, true);
      return false;
    }
  };
  el.loginForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const candidate = el.token.value.trim();
    if (candidate === "") {
      el.loginError.textContent = S.badToken;
      el.loginError.hidden = false;
      el.token.focus();
      return;
    }
    if (candidate.length > MAX_TOKEN_CHARS || /[^\x21-\x7e]/.test(candidate)) {
      showLogin(S.badToken, true);
      return;
    }
    el.signIn.disabled = true;
    el.token.disabled = true;
    el.signIn.textContent = S.signingIn;
    el.loginError.hidden = true;
    el.loginInfo.hidden = true;
    await signIn(candidate, S.badToken);
  });
  el.signOut.addEventListener("click", () => endSession(S.signedOut, false));

  /* ---- the two lists ---- */
  const rowContent = (c) => {
    const first = make("span", "line first");
    const urgent = c.priority === "urgent";
    first.append(
      badge(urgent ? "urgent" : "normal", urgent ? S.urgent : S.normal),
      make("span", "", channelName(c)),
      languageBadge(c.language),
      make("span", "grow"),
      make("span", "ref", shortRef(c.id)),
    );
    const second = make("span", "line");
    second.append(make("span", "meta", rowTiming(c)));
    if (c.overdue === true) second.append(badge("overdue", S.overdue));
    for (const f of flagList(c)) second.append(badge("flag", flagName(f)));
    return [first, second];
  };
  const rowSignature = (c) =>
    [c.priority, c.channel, c.platform, c.language, rowTiming(c), c.overdue === true, flagList(c).join(","), c.id].join("|");

  /* Keyed update: rows are reused (a focused row keeps its focus), reordered and refreshed in place. */
  const syncList = (list, note, countNode, items, emptyText) => {
    const active = document.activeElement;
    const byKey = new Map();
    for (const li of list.children) byKey.set(li.dataset.id, li);
    let previous = null;
    for (const c of items) {
      let li = byKey.get(c.id);
      if (li) byKey.delete(c.id);
      else {
        li = make("li");
        li.dataset.id = c.id;
        const button = make("button", "row");
        button.type = "button";
        button.addEventListener("click", () => openConversation(li.dataset.id));
        li.append(button);
      }
      const button = li.firstChild;
      const signature = rowSignature(c);
      if (button.dataset.signature !== signature) {
        button.dataset.signature = signature;
        button.replaceChildren(...rowContent(c));
      }
      button.setAttribute("aria-current", c.id === openId ? "true" : "false");
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== li) list.insertBefore(li, expected);
      previous = li;
    }
    for (const li of byKey.values()) li.remove();
    if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
    countNode.textContent = String(items.length);
    note.textContent = emptyText;
    note.classList.remove("bad");
    note.hidden = items.length > 0;
  };
  const validConversations = (data) =>
    (Array.isArray(data.conversations) ? data.conversations : []).filter((c) => c && typeof c.id === "string");
  const loadList = async (status) => {
    const data = await api("GET", "/agent/conversations?status=" + status);
    return validConversations(data);
  };
  const renderLists = () => {
    syncList(el.queue, el.queueNote, el.queueCount, lists.waiting, S.queueEmpty);
    syncList(el.mine, el.mineNote, el.mineCount, lists.mine, S.mineEmpty);
    el.queueCount.classList.toggle("hot", lists.waiting.some((c) => c.priority === "urgent" || c.overdue === true));
    const waiting = lists.waiting.length;
    document.title = (waiting > 0 ? "(" + waiting + ") " : "") + S.title + " \u00b7 " + S.brand;
  };
  const loadLists = async () => {
    const [waiting, mine] = await Promise.allSettled([loadList("waiting"), loadList("mine")]);
    if (!signedIn) return;
    if (waiting.status === "fulfilled") lists.waiting = waiting.value;
    if (mine.status === "fulfilled") lists.mine = mine.value;
    renderLists();
    for (const [result, note] of [[waiting, el.queueNote], [mine, el.mineNote]]) {
      if (result.status === "rejected") {
        note.textContent = S.listError;
        note.classList.add("bad");
        note.hidden = false;
      }
    }
    if (waiting.status === "rejected") throw waiting.reason;
    if (mine.status === "rejected") throw mine.reason;
  };

  /* ---- the open conversation ---- */
  const messageKind = (m) => (m.from === "note" || m.from === "agent" || m.from === "bot" ? m.from : "user");
  const renderMessage = (m, seq) => {
    const kind = messageKind(m);
    const article = make("article", "msg " + kind);
    const who = make("p", "who");
    let label = S.fromUser;
    if (kind === "bot") label = S.fromBot;
    else if (kind === "agent") label = agentName(m.agent) || S.fromAgent;
    else if (kind === "note") label = S.noteLabel;
    const name = make("span", "name", label);
    name.id = "author-" + seq;
    article.setAttribute("aria-labelledby", name.id);
    who.append(name);
    const extra = [];
    if (kind === "note" && m.agent) extra.push(agentName(m.agent));
    const time = formatTime(m.at);
    if (time) extra.push(time);
    if (extra.length > 0) who.append(make("span", "", " \u00b7 " + extra.join(" \u00b7 ")));
    article.append(who, make("p", "bubble", str(m.text)));
    return article;
  };
  let messageSeq = 0;
  const messageKey = (m) => (typeof m.id === "string" ? m.id : str(m.at) + "|" + str(m.from) + "|" + str(m.text));
  /* Keyed update of the transcript: messages never change, new ones are inserted where they belong. */
  const syncMessages = (messages) => {
    const stick = el.scroll.scrollHeight - el.scroll.scrollTop - el.scroll.clientHeight < 80;
    const keep = new Set();
    let previous = null;
    for (const m of messages) {
      if (!m || typeof m.text !== "string") continue;
      const key = messageKey(m);
      if (keep.has(key)) continue;
      keep.add(key);
      let node = rendered.get(key);
      if (!node) {
        messageSeq += 1;
        node = renderMessage(m, messageSeq);
        rendered.set(key, node);
      }
      const expected = previous ? previous.nextSibling : el.log.firstChild;
      if (expected !== node) el.log.insertBefore(node, expected);
      previous = node;
    }
    for (const [key, node] of rendered) {
      if (!keep.has(key)) {
        node.remove();
        rendered.delete(key);
      }
    }
    el.empty.hidden = rendered.size > 0;
    if (stick) el.scroll.scrollTop = el.scroll.scrollHeight;
  };
  const appendMessage = (m) => {
    if (!m || typeof m.text !== "string") return;
    const key = messageKey(m);
    if (rendered.has(key)) return;
    messageSeq += 1;
    const node = renderMessage(m, messageSeq);
    rendered.set(key, node);
    el.log.append(node);
    el.empty.hidden = true;
    el.scroll.scrollTop = el.scroll.scrollHeight;
  };

  const statusText = (c) => {
    if (c.status === "waiting") return S.statusWaiting;
    if (c.status === "agent") return isMine(c) ? S.statusMine : S.statusAgent;
    if (c.status === "closed") return S.statusClosed;
    return S.statusBot;
  };
  const readOnlyText = (c) => {
    if (c.status === "waiting") return S.claimFirst;
    if (c.status === "agent" && !isMine(c)) {
      return S.claimedBy + " " + (agentName(c.claimedBy) || S.fromAgent) + " \u2014 " + S.readOnly;
    }
    if (c.status === "closed") return S.closedText;
    if (c.status !== "agent") return S.botHandles;
    return "";
  };
  const renderHeader = (c) => {
    el.convRef.textContent = shortRef(c.id);
    el.convRef.title = c.id;
    el.convUser.textContent = c.user ? S.userLabel + " " + str(c.user) : "";
    const urgent = c.priority === "urgent";
    const parts = [badge("status", statusText(c))];
    if (urgent) parts.push(badge("urgent", S.urgent));
    if (c.overdue === true) parts.push(badge("overdue", S.overdue));
    for (const f of flagList(c)) parts.push(badge("flag", flagName(f)));
    parts.push(make("span", "meta", channelName(c)), languageBadge(c.language), make("span", "meta", timing(c)));
    const replyNote = replyWindow(c);
    if (replyNote) parts.push(replyNote);
    el.convMeta.replaceChildren(...parts);
    const mine = isMine(c);
    el.claim.hidden = c.status !== "waiting";
    el.handback.hidden = !mine;
    el.resolve.hidden = !mine;
    const reason = readOnlyText(c);
    el.readonly.textContent = reason;
    el.readonly.hidden = reason === "";
    setComposerEnabled(mine);
    updateButtons();
  };
  const applyConversation = (data, ofTicket) => {
    if (!data || !data.conversation || typeof data.conversation !== "object") return;
    if (data.conversation.id !== openId || ofTicket < appliedTicket) return;
    appliedTicket = ofTicket;
    current = data.conversation;
    renderHeader(current);
    /* The transcript is in the user's language: the right Han glyph forms and fonts (SC or TC). */
    if (S.languages[current.language]) el.log.lang = current.language;
    else el.log.removeAttribute("lang");
    if (Array.isArray(data.messages)) syncMessages(data.messages);
    el.conv.setAttribute("aria-busy", "false");
  };
  const loadConversation = async () => {
    const id = openId;
    if (!id) return;
    ticket += 1;
    const mine = ticket;
    try {
      const data = await api("GET", conversationPath(id));
      applyConversation(data, mine);
    } catch (error) {
      if (error.status === 404 && id === openId) {
        showPlaceholder(S.notFound);
        return;
      }
      throw error;
    }
  };
  const showPlaceholder = (message) => {
    closeConversation();
    el.placeholder.textContent = message || S.choose;
    el.placeholder.hidden = false;
  };
  function closeConversation() {
    saveDraft();
    openId = null;
    current = null;
    rendered.clear();
    el.log.replaceChildren();
    el.conv.hidden = true;
    clearAlert();
    clearFlash();
    for (const button of document.querySelectorAll(".row")) button.setAttribute("aria-current", "false");
  }
  function openConversation(id) {
    if (!id || id === openId) {
      if (id && current) focusPane();
      return;
    }
    closeConversation();
    openId = id;
    appliedTicket = 0;
    ticket += 1;
    el.placeholder.hidden = true;
    el.conv.hidden = false;
    el.conv.setAttribute("aria-busy", "true");
    el.convRef.textContent = shortRef(id);
    el.convUser.textContent = "";
    el.convMeta.replaceChildren(make("span", "meta", S.loading));
    for (const button of [el.claim, el.handback, el.resolve]) button.hidden = true;
    el.readonly.hidden = true;
    el.empty.hidden = true;
    const draft = drafts.get(id);
    el.box.value = draft ? draft.text : "";
    setMode(draft ? draft.mode : "reply");
    setComposerEnabled(false);
    for (const button of document.querySelectorAll(".row")) {
      button.setAttribute("aria-current", button.parentNode.dataset.id === id ? "true" : "false");
    }
    const fromList = lists.waiting.concat(lists.mine).find((c) => c.id === id);
    if (fromList) renderHeader(fromList);
    loadConversation()
      .then(() => {
        if (id === openId) {
          el.scroll.scrollTop = el.scroll.scrollHeight;
          focusPane();
        }
      })
      .catch((error) => {
        if (id === openId && error.status !== 401) showAlert(error.message || S.error);
      });
  }
  /* Into the open conversation: the reply box when it is mine, else its heading (never onto Claim). */
  const focusPane = () => {
    if (!current) return;
    if (!el.box.disabled) el.box.focus();
    else el.convTitle.focus();
  };

  /* ---- actions ---- */
  const updateButtons = () => {
    for (const button of [el.claim, el.handback, el.resolve]) button.disabled = busy;
    updateComposer();
  };
  const runAction = async (action, doneMessage) => {
    const id = openId;
    if (!id || busy) return;
    busy = true;
    clearAlert();
    clearFlash();
    updateButtons();
    try {
      const data = await api("POST", conversationPath(id, action));
      ticket += 1;
      applyConversation({ conversation: data.conversation }, ticket);
      if (id === openId) flash(doneMessage);
    } catch (error) {
      if (error.status === 401) return;
      if (id === openId) showAlert(error.message || S.error);
    } finally {
      busy = false;
      updateButtons();
      refreshNow();
    }
    if (id !== openId) return;
    if (action === "claim" && isMine(current)) el.box.focus();
    else if (document.activeElement === document.body || document.activeElement?.hidden) el.convTitle.focus();
  };
  el.claim.addEventListener("click", () => runAction("claim", S.claimed));
  el.handback.addEventListener("click", () => runAction("handback", S.handedBack));
  el.resolve.addEventListener("click", () => {
    if (busy || !openId) return;
    el.dialog.showModal();
    el.confirmCancel.focus();
  });
  el.confirmCancel.addEventListener("click", () => el.dialog.close("cancel"));
  el.confirmOk.addEventListener("click", () => el.dialog.close("resolve"));
  el.dialog.addEventListener("close", () => {
    const confirmed = el.dialog.returnValue === "resolve";
    el.dialog.returnValue = "";
    if (confirmed) runAction("resolve", S.resolved);
    else if (!el.resolve.hidden) el.resolve.focus();
  });

  /* ---- the composer ---- */
  const mode = () => (el.modeNote.checked ? "note" : "reply");
  function setMode(value) {
    el.modeNote.checked = value === "note";
    el.modeReply.checked = value !== "note";
    const note = value === "note";
    el.composer.classList.toggle("note-mode", note);
    el.boxLabel.textContent = note ? S.noteBoxLabel : S.replyLabel;
    el.box.placeholder = note ? S.notePlaceholder : S.replyPlaceholder;
    updateComposer();
  }
  function setComposerEnabled(enabled) {
    el.composer.dataset.enabled = enabled ? "true" : "false";
    for (const control of [el.box, el.modeReply, el.modeNote, el.canned]) control.disabled = !enabled;
    updateComposer();
  }
  function updateComposer() {
    const enabled = el.composer.dataset.enabled === "true";
    const length = el.box.value.length;
    el.send.textContent = sending ? S.sending : mode() === "note" ? S.addNote : S.sendReply;
    el.send.disabled = !enabled || sending || busy || el.box.value.trim() === "" || length > MAX_CHARS;
    el.chars.textContent = length + " / " + MAX_CHARS;
    el.chars.classList.toggle("over", length > MAX_CHARS);
  }
  function saveDraft() {
    if (!openId) return;
    if (el.box.value === "" && mode() === "reply") drafts.delete(openId);
    else drafts.set(openId, { text: el.box.value, mode: mode() });
  }
  const submit = async () => {
    const id = openId;
    const text = el.box.value.trim();
    if (!id || sending || busy || el.composer.dataset.enabled !== "true" || text === "") return;
    if (text.length > MAX_CHARS) {
      showAlert(S.tooLong);
      return;
    }
    const kind = mode() === "note" ? "notes" : "messages";
    sending = true;
    clearAlert();
    clearFlash();
    updateComposer();
    try {
      const data = await api("POST", conversationPath(id, kind), { text });
      if (id === openId) {
        ticket += 1;
        appliedTicket = ticket;
        appendMessage(data.message);
        if (el.box.value.trim() === text) el.box.value = "";
        saveDraft();
      }
    } catch (error) {
      if (error.status === 401) return;
      if (id === openId) showAlert(error.message || S.error);
      if (error.status === 403 || error.status === 404 || error.status === 409) refreshNow();
    } finally {
      sending = false;
      updateComposer();
    }
    if (id === openId && !el.box.disabled) el.box.focus();
  };
  el.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  el.box.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  });
  el.box.addEventListener("input", () => {
    updateComposer();
    saveDraft();
  });
  for (const radio of [el.modeReply, el.modeNote]) {
    radio.addEventListener("change", () => {
      setMode(mode());
      saveDraft();
    });
  }
  el.canned.addEventListener("change", () => {
    const reply = canned.find((r) => r.id === el.canned.value);
    el.canned.value = "";
    if (!reply || el.box.disabled) return;
    const language = current && typeof current.language === "string" ? current.language : "en";
    const text = str(reply.text[language]) || str(reply.text.en) || str(Object.values(reply.text)[0]);
    if (text === "") return;
    el.box.focus();
    el.box.setRangeText(text, el.box.selectionStart, el.box.selectionEnd, "end");
    updateComposer();
    saveDraft();
  });

  /* ---- polling: both lists and the open conversation, every 3 s while the tab is visible ---- */
  function schedulePoll(delay) {
    clearTimeout(pollTimer);
    pollTimer = 0;
    if (!signedIn || document.hidden) return;
    pollTimer = setTimeout(poll, delay);
  }
  const refreshNow = () => {
    if (polling) pollAgain = true;
    else schedulePoll(0);
  };
  async function poll() {
    pollTimer = 0;
    if (!signedIn || document.hidden) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    try {
      await Promise.all([loadLists(), loadConversation()]);
      pollErrors = 0;
    } catch (error) {
      if (error && error.status === 401) return;
      pollErrors += 1;
    } finally {
      polling = false;
    }
    if (!signedIn) return;
    el.conn.hidden = pollErrors < 2;
    if (pollAgain) {
      pollAgain = false;
      schedulePoll(0);
    } else {
      schedulePoll(pollErrors === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** pollErrors, MAX_POLL_DELAY_MS));
    }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(pollTimer);
      pollTimer = 0;
    } else if (signedIn) {
      pollErrors = 0;
      schedulePoll(0);
    }
  });

  /* ---- start ---- */
  el.box.maxLength = MAX_CHARS;
  setMode("reply");
  const saved = readToken();
  if (saved) {
    el.loginView.hidden = true;
    signIn(saved, S.sessionEnded);
  } else {
    showLogin("", false);
  }
})();
`;

/** The Insights bundle (`npm run build:web`); a console without it would lose a view silently, so it fails. */
function insightsBundle(name: string): string {
  const path = join(GENERATED_DIR, "console", name);
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new Error(`${path} is missing: run "npm run build:web"`);
  }
}
const INSIGHTS_SCRIPT = insightsBundle("insights.js");
const INSIGHTS_STYLE = insightsBundle("insights.css");

/** The Content-Security-Policy to send with `CONSOLE_PAGE_HTML` (the page works under nothing looser). */
export const CONSOLE_PAGE_CSP: string = inlinePageCsp([SCRIPT, INSIGHTS_SCRIPT], [STYLE, INSIGHTS_STYLE]);

const S = CONSOLE_STRINGS;
const t = (text: string) => escapeHtml(text);

/** The complete page for `GET /console`: the sign-in form and the console, shown by the script. */
export const CONSOLE_PAGE_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${t(S.title)} · ${t(S.brand)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<style>${INSIGHTS_STYLE}</style>
</head>
<body>
<main id="login-view" class="login" hidden>
<form id="login-form" class="login-card" novalidate>
<p class="brand">${SHIELD_ICON}<span>${t(S.brand)}</span></p>
<h1>${t(S.loginTitle)}</h1>
<p class="intro">${t(S.loginIntro)}</p>
<label for="token">${t(S.tokenLabel)}</label>
<input id="token" name="token" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" required>
<button id="sign-in" class="btn primary" type="submit">${t(S.signIn)}</button>
<p id="login-error" class="login-error" role="alert" hidden></p>
<p id="login-info" class="login-info" role="status" hidden></p>
</form>
</main>
<div id="app" class="app" hidden>
<header class="topbar">
<p class="brand">${SHIELD_ICON}<span>${t(S.brand)}</span> <span class="product">${t(S.title)}</span></p>
<span class="tabs">
<button id="tab-insights" class="btn" type="button" hidden>${t(S.insights)}</button>
<button id="tab-conversations" class="btn" type="button" hidden>${t(S.conversations)}</button>
</span>
<span class="spacer"></span>
<span id="conn" class="conn" role="status" hidden>${t(S.offline)}</span>
<p class="me">${t(S.signedInAs)} <strong id="me-name"></strong><span id="me-role" class="role"></span></p>
<button id="sign-out" class="btn" type="button">${t(S.signOut)}</button>
</header>
<section id="insights" class="insights" aria-label="${t(S.insights)}" hidden></section>
<div id="workspace" class="workspace">
<nav class="sidebar" aria-label="Conversations">
<section aria-labelledby="queue-title">
<div class="list-head"><h2 id="queue-title">${t(S.queue)}</h2><span id="queue-count" class="count">0</span></div>
<ul id="queue" class="rows" aria-labelledby="queue-title"></ul>
<p id="queue-note" class="list-note">${t(S.loading)}</p>
</section>
<section aria-labelledby="mine-title">
<div class="list-head"><h2 id="mine-title">${t(S.mine)}</h2><span id="mine-count" class="count">0</span></div>
<ul id="mine" class="rows" aria-labelledby="mine-title"></ul>
<p id="mine-note" class="list-note">${t(S.loading)}</p>
</section>
</nav>
<main class="pane">
<p id="placeholder" class="placeholder">${t(S.choose)}</p>
<section id="conv" class="pane-section" aria-labelledby="conv-title" hidden>
<header class="conv-head">
<div class="conv-title">
<h2 id="conv-title" tabindex="-1"><span>${t(S.conversation)} <span id="conv-ref"></span></span><span id="conv-user" class="conv-user"></span></h2>
<div id="conv-meta" class="line"></div>
</div>
<div class="actions">
<button id="claim" class="btn primary" type="button" hidden>${t(S.claim)}</button>
<button id="handback" class="btn" type="button" hidden>${t(S.handback)}</button>
<button id="resolve" class="btn danger" type="button" hidden>${t(S.resolve)}</button>
</div>
</header>
<div class="banners">
<p id="readonly" class="banner info" hidden></p>
<p id="flash" class="banner ok" role="status" hidden></p>
<p id="alert" class="banner bad" role="alert" hidden></p>
</div>
<div id="scroll" class="scroll">
<p id="empty" class="empty" hidden>${t(S.noMessages)}</p>
<div id="log" class="log" role="log" aria-live="polite" aria-label="${t(S.transcript)}"></div>
</div>
<form id="composer" class="composer" novalidate>
<div class="composer-top">
<fieldset class="modes">
<legend class="sr-only">${t(S.mode)}</legend>
<label class="mode"><input id="mode-reply" type="radio" name="mode" value="reply" checked>${t(S.modeReply)}</label>
<label class="mode note-choice"><input id="mode-note" type="radio" name="mode" value="note">${t(S.modeNote)}</label>
</fieldset>
<div id="canned-wrap" class="canned" hidden>
<label for="canned">${t(S.canned)}</label>
<select id="canned" name="canned"></select>
</div>
</div>
<label id="box-label" class="box-label" for="box">${t(S.replyLabel)}</label>
<textarea id="box" name="text" rows="3" maxlength="${CONSOLE_MAX_CHARS}" autocomplete="off"></textarea>
<div class="composer-bottom">
<span class="hint">${t(S.keys)}</span>
<span class="spacer"></span>
<span id="chars" class="chars" aria-hidden="true"></span>
<button id="send" class="btn primary send" type="submit" disabled>${t(S.sendReply)}</button>
</div>
</form>
</section>
</main>
</div>
</div>
<dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
<h2 id="confirm-title">${t(S.resolveTitle)}</h2>
<p id="confirm-text">${t(S.resolveText)}</p>
<div class="dialog-actions">
<button id="confirm-cancel" class="btn" type="button">${t(S.cancel)}</button>
<button id="confirm-ok" class="btn danger solid" type="button">${t(S.resolveConfirm)}</button>
</div>
</dialog>
<noscript><p class="noscript">The agent console needs JavaScript.</p></noscript>
<script>${SCRIPT}</script>
<script>${INSIGHTS_SCRIPT}</script>
</body>
</html>
`;
