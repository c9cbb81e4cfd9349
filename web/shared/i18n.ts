/**
 * The pages' languages: the three the bot speaks. Strings come from content/ui.yaml, put into each
 * page by scripts/build-web.ts as a JSON data block (`<script type="application/json" id="strings">`,
 * never executed, so the CSP need not allow it); elements name their string with `data-t` (text),
 * `data-t-label` (aria-label), `data-t-placeholder` and `data-t-title`.
 */
export { format, isLocale, LOCALES, type Locale, pickLocale, preferredLocale } from "./locale.ts";

import { LOCALES, type Locale } from "./locale.ts";

/** The page's data block (`<script type="application/json" id="…">`) parsed; `undefined` if missing or unreadable. */
export function readDataBlock(doc: Document, id: string): unknown {
  const text = doc.getElementById(id)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every locale's strings from a page config, if each is an object of strings with all these keys. */
export function stringsOf<K extends string>(
  value: unknown,
  keys: readonly K[],
): Readonly<Record<Locale, Readonly<Record<K, string>>>> | undefined {
  if (!value || typeof value !== "object") return undefined;
  const all = value as Record<string, unknown>;
  for (const locale of LOCALES) {
    const set = all[locale];
    if (!set || typeof set !== "object") return undefined;
    if (!keys.every((k) => typeof (set as Record<string, unknown>)[k] === "string")) return undefined;
  }
  return all as Record<Locale, Record<K, string>>;
}

const ATTRIBUTES = [
  ["tLabel", "aria-label"],
  ["tPlaceholder", "placeholder"],
  ["tTitle", "title"],
] as const;

/** Puts one locale's strings into every `data-t*` element under `root` (text with `textContent` only). */
export function translate(root: ParentNode, strings: Readonly<Record<string, string>>): void {
  for (const node of root.querySelectorAll<HTMLElement>("[data-t]")) {
    const text = strings[node.dataset.t ?? ""];
    if (text !== undefined) node.textContent = text;
  }
  for (const [key, attribute] of ATTRIBUTES) {
    const selector = `[data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const node of root.querySelectorAll<HTMLElement>(selector)) {
      const text = strings[node.dataset[key] ?? ""];
      if (text !== undefined) node.setAttribute(attribute, text);
    }
  }
}
