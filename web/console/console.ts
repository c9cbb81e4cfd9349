/**
 * The agent console (`GET /console`). It talks to the same origin only, with `Authorization: Bearer
 * <agent token>` (kept in sessionStorage, so it is forgotten with the tab):
 * - `GET /agent/me` → `{agent: {id, name, role}, cannedReplies: [{id, label, text: {zh-Hans, zh-Hant, en}}]}`;
 * - `GET /agent/conversations?status=waiting|mine` → `{conversations: [...]}` (already sorted);
 * - `GET /agent/conversations/{id}` → `{conversation, messages: [{id, from, text, at, agent?}]}`, where
 *   `from` is `user`, `bot`, `agent` or `note` (an internal note, never shown to the user);
 * - `POST /agent/conversations/{id}/claim | handback | resolve` → `{conversation}`;
 * - `POST /agent/conversations/{id}/messages | notes` `{text}` → `{message}`.
 * Both lists and the open conversation are polled every 3 s while the tab is visible. The console
 * speaks the agent's language (zh-Hans, zh-Hant, en: the browser's, or the one chosen in the header,
 * remembered in localStorage) and shows times in the browser's time zone. Sign-in and sign-out are
 * announced to the Insights view (insights.ts) with a `guardline:session` event, a change of
 * language with `guardline:locale`. Everything users wrote is data: the DOM is built with
 * `textContent` only.
 */
import {
  format,
  isLocale,
  type Locale,
  preferredLocale,
  readDataBlock,
  stringsOf,
  translate,
} from "../shared/i18n.ts";
import { ConsoleApi } from "./api.ts";
import { Composer } from "./composer.ts";
import { Clock, cannedReplies, type Me, str, type ViewContext } from "./format.ts";
import { CONSOLE_KEYS, type ConsoleStrings } from "./strings.ts";
import { consoleElements } from "./view.ts";
import { Workspace } from "./workspace.ts";

const TOKEN_KEY = "guardline.agentToken";
const LOCALE_KEY = "guardline.consoleLocale";
const MAX_TOKEN_CHARS = 1024;

const config = readDataBlock(document, "config") as { maxChars?: unknown; strings?: unknown } | undefined;
const ALL = stringsOf(config?.strings, CONSOLE_KEYS);
if (!ALL || typeof config?.maxChars !== "number") throw new Error("the page's #config block is missing");

const el = consoleElements();
let locale: Locale = savedLocale() ?? preferredLocale(navigator.languages);
let T: ConsoleStrings = ALL[locale];
let clock = new Clock(locale);
let me: Me | null = null;
let signedIn = false;

const ctx = (): ViewContext => ({ locale, T, me, now: Date.now(), clock });
const api = new ConsoleApi(T, {
  onUnauthorized: () => {
    if (signedIn) endSession(T.sessionEnded, true);
  },
});
const composer = new Composer(el, T, config.maxChars);
const workspace = new Workspace(el, api, composer, ctx);

function savedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function storeToken(value: string): void {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the token lives in memory only.
  }
}

function readToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

function setTitle(): void {
  const waiting = signedIn ? workspace.waitingCount() : 0;
  document.title = `${waiting > 0 ? `(${waiting}) ` : ""}${T.title} \u00b7 ${T.brand}`;
}

/** Everything on the page in another language, the open conversation and lists included. */
function applyLocale(next: Locale, remember: boolean): void {
  locale = next;
  T = ALL?.[next] ?? T;
  clock = new Clock(next);
  document.documentElement.lang = next;
  translate(document, T);
  el.language.value = next;
  el.loginLanguage.value = next;
  api.texts = T;
  composer.setStrings(T);
  el.zone.textContent = format(T.timesIn, { zone: clock.timeZone });
  if (signedIn) workspace.relabel();
  setTitle();
  if (remember) {
    try {
      localStorage.setItem(LOCALE_KEY, next);
    } catch {
      // Not remembered: the next visit follows the browser's language again.
    }
  }
  document.dispatchEvent(new CustomEvent("guardline:locale", { detail: next }));
}

const announce = (detail: { token: string; role: string } | null) =>
  document.dispatchEvent(new CustomEvent("guardline:session", { detail }));

function showLogin(message: string, isError: boolean): void {
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
  el.signIn.textContent = T.signIn;
  el.token.disabled = false;
  el.token.value = "";
  el.token.focus();
}

function endSession(message: string, isError: boolean): void {
  announce(null);
  signedIn = false;
  api.token = "";
  storeToken("");
  workspace.stop();
  if (el.dialog.open) el.dialog.close();
  workspace.clear();
  composer.clearDrafts();
  me = null;
  setTitle();
  showLogin(message, isError);
}

function enterConsole(data: Record<string, unknown>): void {
  const agent = (data.agent && typeof data.agent === "object" ? data.agent : {}) as Record<string, unknown>;
  me = { id: str(agent.id), name: str(agent.name) || str(agent.id), role: str(agent.role) };
  composer.setCanned(cannedReplies(data.cannedReplies));
  el.meName.textContent = me.name;
  el.meRole.textContent = me.role;
  el.meRole.hidden = me.role === "";
  signedIn = true;
  el.conn.hidden = true;
  el.loginView.hidden = true;
  el.app.hidden = false;
  workspace.start();
  announce({ token: api.token, role: me.role });
}

async function signIn(candidate: string, failureMessage: string): Promise<void> {
  api.token = candidate;
  try {
    const data = await api.call("GET", "/agent/me");
    storeToken(candidate);
    enterConsole(data);
  } catch (error) {
    api.token = "";
    storeToken("");
    const status = (error as { status?: number }).status;
    const message = status === 401 || status === 403 ? failureMessage : (error as Error).message || T.error;
    showLogin(message, true);
  }
}

el.loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const candidate = el.token.value.trim();
  if (candidate === "") {
    el.loginError.textContent = T.badToken;
    el.loginError.hidden = false;
    el.token.focus();
    return;
  }
  if (candidate.length > MAX_TOKEN_CHARS || /[^\x21-\x7e]/.test(candidate)) {
    showLogin(T.badToken, true);
    return;
  }
  el.signIn.disabled = true;
  el.token.disabled = true;
  el.signIn.textContent = T.signingIn;
  el.loginError.hidden = true;
  el.loginInfo.hidden = true;
  void signIn(candidate, T.badToken);
});
el.signOut.addEventListener("click", () => endSession(T.signedOut, false));
for (const select of [el.language, el.loginLanguage]) {
  select.addEventListener("change", () => {
    if (isLocale(select.value)) applyLocale(select.value, true);
  });
}
workspace.onListsChanged = setTitle;

applyLocale(locale, false);
const saved = readToken();
if (saved) {
  el.loginView.hidden = true;
  void signIn(saved, T.sessionEnded);
} else {
  showLogin("", false);
}
