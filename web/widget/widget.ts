/**
 * The website widget, `GET /widget.js`: the operator pastes one line into their site,
 *   <script src="https://support.example.com/widget.js" data-color="#0a7d44" async></script>
 * and gets a chat bubble that opens the web chat in an iframe of the chat server. The iframe keeps
 * the conversation (the chat page's session in its own storage, per site), so a reload finds it
 * again; the widget only remembers whether it was open. The chat page may be framed only by the
 * sites in `WEB_ALLOWED_ORIGINS` (its CSP `frame-ancestors`): on any other the browser refuses the
 * frame, the chat never says it is ready, and the widget says the chat is unavailable here.
 * Everything lives in a shadow root: the page's CSS cannot reach it, nor its CSS the page.
 */
import { READY_MESSAGE } from "../chat/embed.ts";
import { chatUrl, widgetOptions } from "./options.ts";
import type { WidgetStrings } from "./strings.ts";
import STYLE from "./widget.css";

declare const WIDGET_STRINGS: Readonly<Record<"zh-Hans" | "zh-Hant" | "en", WidgetStrings>>;

const OPEN_KEY = "guardline.widget.open";
/** After the frame has loaded, how long the chat has to say it runs (a refused frame never does). */
const READY_GRACE_MS = 3000;
/** In case no load event comes at all. */
const READY_DEADLINE_MS = 20_000;
const CHAT_ICON =
  "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z";
const CLOSE_ICON =
  "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6Z";

function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("fill", "currentColor");
  shape.setAttribute("d", path);
  svg.append(shape);
  return svg;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function session(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

function start(script: HTMLScriptElement): void {
  const options = widgetOptions(
    script.src,
    script.dataset,
    document.documentElement.lang,
    navigator.language,
  );
  const T = WIDGET_STRINGS[options.locale];
  const host = document.createElement("guardline-chat");
  const root = host.attachShadow({ mode: "open" });
  if (options.position === "left") host.classList.add("left");
  if (options.color) host.style.setProperty("--accent", options.color);

  // A constructed sheet is not an inline style: the operator's own CSP need not allow it.
  let style: HTMLStyleElement | null = null;
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet.prototype.replaceSync === "function") {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } else {
    style = document.createElement("style");
    style.textContent = STYLE;
  }
  const bubble = element("button", "bubble");
  bubble.type = "button";
  bubble.setAttribute("aria-label", T.open);
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "panel");
  bubble.append(icon(CHAT_ICON));
  const panel = element("section", "panel");
  panel.id = "panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", T.title);
  panel.lang = options.locale;
  panel.hidden = true;
  const head = element("div", "head");
  const title = element("p", "title");
  title.textContent = T.title;
  const close = element("button", "close");
  close.type = "button";
  close.setAttribute("aria-label", T.close);
  close.append(icon(CLOSE_ICON));
  head.append(title, close);
  panel.append(head);
  root.append(...(style ? [style] : []), panel, bubble);

  let frame: HTMLIFrameElement | null = null;
  let ready = false;
  const unavailable = () => {
    if (ready || !frame) return;
    frame.remove();
    frame = null;
    const note = element("p", "unavailable");
    note.setAttribute("role", "status");
    note.textContent = T.unavailable;
    panel.append(note);
  };
  window.addEventListener("message", (event) => {
    if (!frame || event.origin !== options.base || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: unknown } | null;
    if (data && data.type === READY_MESSAGE) ready = true;
  });

  const open = (focus: boolean) => {
    if (!frame && !panel.querySelector(".unavailable")) {
      frame = element("iframe", "chat");
      frame.title = T.title;
      frame.src = chatUrl(options, location.origin);
      frame.referrerPolicy = "origin";
      frame.addEventListener("load", () => setTimeout(unavailable, READY_GRACE_MS));
      setTimeout(unavailable, READY_DEADLINE_MS);
      panel.append(frame);
    }
    panel.hidden = false;
    host.classList.add("open");
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", T.close);
    session()?.setItem(OPEN_KEY, "1");
    if (focus) (frame ?? close).focus();
  };
  const shut = () => {
    panel.hidden = true;
    host.classList.remove("open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", T.open);
    session()?.removeItem(OPEN_KEY);
    bubble.focus();
  };
  bubble.addEventListener("click", () => (panel.hidden ? open(true) : shut()));
  close.addEventListener("click", shut);
  host.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) shut();
  });

  document.body.append(host);
  if (session()?.getItem(OPEN_KEY) === "1") open(false);
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && !document.querySelector("guardline-chat")) {
  if (document.body) start(script);
  else document.addEventListener("DOMContentLoaded", () => start(script), { once: true });
}
