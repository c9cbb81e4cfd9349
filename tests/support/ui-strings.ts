import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ChatStrings } from "../../web/chat/strings.ts";
import type { ConsoleStrings } from "../../web/console/strings.ts";
import type { WidgetStrings } from "../../web/widget/strings.ts";

type Locale = "zh-Hans" | "zh-Hant" | "en";
type Section = Record<string, Record<Locale, string>>;

const ROOT = join(import.meta.dirname, "..", "..");
let cached: Record<string, Section> | undefined;

/** One page's strings in one locale, from content/ui.yaml (what the built pages show). */
export function uiStrings(page: "chat", locale: Locale): ChatStrings;
export function uiStrings(page: "console", locale: Locale): ConsoleStrings;
export function uiStrings(page: "widget", locale: Locale): WidgetStrings;
export function uiStrings(
  page: "chat" | "console" | "widget",
  locale: Locale,
): Readonly<Record<string, string>> {
  cached ??= parse(readFileSync(join(ROOT, "content", "ui.yaml"), "utf8")) as Record<string, Section>;
  const section = cached[page];
  if (!section) throw new Error(`content/ui.yaml has no ${page} section`);
  return new Proxy(Object.fromEntries(Object.entries(section).map(([key, texts]) => [key, texts[locale]])), {
    get(target, key: string) {
      const value = target[key];
      if (value === undefined) throw new Error(`content/ui.yaml ${page} has no "${key}"`);
      return value;
    },
  });
}
