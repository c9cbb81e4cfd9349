import type { HoursFile, Knowledge } from "./content.ts";
import { WEEKDAYS } from "./content.ts";
import type { Locale } from "./locale.ts";

const FIELD = /\{\{([^{}]+)\}\}/g;

/** Field names in a template, e.g. ["brand", "contact:hotline"]. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(FIELD)].map((m) => (m[1] as string).trim());
}

/**
 * Fills {{brand}}, {{hours}}, {{contact:<id>}} and caller-supplied {{name}} values. Contact values come
 * only from the registry: this is the single place where contact details enter reply text.
 */
export function render(
  template: string,
  knowledge: Knowledge,
  locale: Locale,
  values: Readonly<Record<string, string>> = {},
): string {
  return template.replace(FIELD, (whole, raw: string) => {
    const name = raw.trim();
    if (name === "brand") return knowledge.messages.brand[locale];
    if (name === "hours") return formatHours(knowledge.hours, knowledge, locale);
    if (name.startsWith("contact:")) {
      const contact = knowledge.contacts.contacts.find((c) => c.id === name.slice("contact:".length));
      if (!contact) throw new RangeError(`unknown contact field ${whole}`);
      return contact.value;
    }
    const value = values[name];
    if (value === undefined) throw new RangeError(`no value for field ${whole}`);
    return value;
  });
}

/**
 * Business hours as one line, consecutive days with the same hours grouped:
 * "Mon–Fri 09:00–21:00; Sat–Sun 10:00–18:00 (GMT+8)".
 */
export function formatHours(hours: HoursFile, knowledge: Knowledge, locale: Locale): string {
  const dayNames = knowledge.messages.weekdays[locale].split(",");
  const groups: { from: number; to: number; ranges: string }[] = [];
  WEEKDAYS.forEach((day, i) => {
    const ranges = hours.weekly[day].map((r) => r.replace("-", "–")).join(", ");
    const last = groups.at(-1);
    if (last && last.ranges === ranges && last.to === i - 1) last.to = i;
    else groups.push({ from: i, to: i, ranges });
  });
  const parts = groups
    .filter((g) => g.ranges !== "")
    .map((g) => {
      const days = g.from === g.to ? dayNames[g.from] : `${dayNames[g.from]}–${dayNames[g.to]}`;
      return `${days} ${g.ranges}`;
    });
  const zone = new Intl.DateTimeFormat("en-US", { timeZone: hours.timezone, timeZoneName: "shortOffset" })
    .formatToParts(new Date(0))
    .find((p) => p.type === "timeZoneName")?.value;
  return `${parts.join(knowledge.messages.listSeparator[locale])} (${zone ?? hours.timezone})`;
}
