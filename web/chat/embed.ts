import { isLocale, type Locale, pickLocale } from "../shared/locale.ts";

/**
 * The chat inside the website widget: web/widget/widget.ts opens `/?embed=1&host=…&lang=…` in an
 * iframe, with the operator's theme. Every value comes from someone else's page, so each is checked
 * and anything odd is dropped: the page then looks as it does on its own.
 */
export interface EmbedOptions {
  embedded: boolean;
  /** The embedding page's origin, the only target of the ready message. */
  host?: string;
  locale?: Locale;
  /** Shown in an empty conversation instead of the page's own greeting (at most 200 characters). */
  greeting?: string;
  /** The operator's colour for the user's bubbles and the send button: `#rgb` or `#rrggbb`. */
  accent?: string;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
const COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
export const MAX_GREETING_CHARS = 200;

export function embedOptions(search: string): EmbedOptions {
  const query = new URLSearchParams(search);
  if (query.get("embed") !== "1") return { embedded: false };
  const options: EmbedOptions = { embedded: true };
  const host = query.get("host") ?? "";
  if (ORIGIN.test(host)) options.host = host;
  const lang = query.get("lang");
  if (lang) options.locale = isLocale(lang) ? lang : pickLocale(lang);
  const greeting = (query.get("greeting") ?? "").replace(/[\p{Cc}\p{Cf}]/gu, " ").trim();
  if (greeting !== "") options.greeting = greeting.slice(0, MAX_GREETING_CHARS);
  const accent = query.get("accent") ?? "";
  if (COLOUR.test(accent)) options.accent = accent;
  return options;
}

/** What the embedded chat tells the widget, once its history is shown. */
export const READY_MESSAGE = "guardline:ready";
