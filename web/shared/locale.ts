/** The pages' languages, the three the bot speaks (no DOM here: the build script reads this too). */
export const LOCALES = ["zh-Hans", "zh-Hant", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A BCP 47 tag (`zh-TW`, `zh_Hant_HK`, `en-GB`) → the page language: Chinese by script or region. */
export function pickLocale(tag: string | null | undefined): Locale {
  const t = String(tag ?? "")
    .toLowerCase()
    .replace(/_/g, "-");
  if (!/^zh(-|$)/.test(t)) return "en";
  if (/-hant(-|$)/.test(t)) return "zh-Hant";
  if (/-hans(-|$)/.test(t)) return "zh-Hans";
  return /-(tw|hk|mo)(-|$)/.test(t) ? "zh-Hant" : "zh-Hans";
}

/** The first of the browser's languages that is Chinese or English decides; English otherwise. */
export function preferredLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    if (/^(zh|en)([-_]|$)/i.test(tag)) return pickLocale(tag);
  }
  return "en";
}

/** `{{name}}` → `values.name`; an unknown name stays as written, so a missing value is visible. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
