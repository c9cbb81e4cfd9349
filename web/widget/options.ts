import { isLocale, type Locale, pickLocale } from "../shared/locale.ts";

/**
 * What the operator's snippet says, from the script element's data attributes:
 * `data-color` (`#rgb`/`#rrggbb`), `data-position` (`left` or `right`), `data-greeting` and
 * `data-lang` (else the page's own `<html lang>`, else the browser's). Anything else is ignored.
 */
export interface WidgetOptions {
  /** The chat server: where widget.js itself came from. */
  base: string;
  locale: Locale;
  color?: string;
  position: "left" | "right";
  greeting?: string;
}

const COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function widgetOptions(
  scriptSrc: string,
  data: Readonly<Record<string, string | undefined>>,
  pageLang: string,
  browserLang: string,
): WidgetOptions {
  const lang = data.lang || pageLang || browserLang;
  const options: WidgetOptions = {
    base: new URL(scriptSrc).origin,
    locale: isLocale(lang) ? lang : pickLocale(lang),
    position: data.position === "left" ? "left" : "right",
  };
  if (data.color && COLOUR.test(data.color)) options.color = data.color;
  const greeting = data.greeting?.trim();
  if (greeting) options.greeting = greeting;
  return options;
}

/** The chat page for the iframe: embedded, told who embeds it, in the page's language and theme. */
export function chatUrl(options: WidgetOptions, hostOrigin: string): string {
  const query = new URLSearchParams({ embed: "1", host: hostOrigin, lang: options.locale });
  if (options.greeting) query.set("greeting", options.greeting);
  if (options.color) query.set("accent", options.color);
  return `${options.base}/?${query.toString()}`;
}
