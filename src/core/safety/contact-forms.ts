import { domainToUnicode } from "node:url";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { parse as parseDomain } from "tldts";

/**
 * Normal forms of contacts, shared by the registry (computed at build) and by what users paste, so the
 * two compare as equal strings: phones in E.164, hosts in Unicode lower case, handles lower case.
 */
export type ContactKind = "phone" | "url" | "email" | "handle" | "qq" | "wechat";

export interface PhoneForm {
  /** E.164 when the number parses, else "+" and the digits as written. */
  e164: string;
  /** The digits without any country code or trunk prefix, for comparing numbers written nationally. */
  national: string;
  /** The country calling code when the number parses ("1" for +1). */
  countryCode?: string;
}

/**
 * Every E.164 number a written number could mean: as written in the user's region or another of
 * ours, and with an international call prefix ("00", "001"/"002"/"009" from Taiwan, "011" from
 * North America) or a bare country code in front.
 */
export function phoneReadings(raw: string, preferred?: CountryCode): string[] {
  const digits = raw.replace(/\D/g, "");
  const readings = new Set<string>();
  const add = (text: string, region?: CountryCode) => {
    const parsed = parsePhoneNumberFromString(text, region);
    if (parsed?.isValid()) readings.add(parsed.number);
  };
  if (/^\s*\+/.test(raw)) add(`+${digits}`);
  for (const prefix of ["00", "001", "002", "005", "006", "007", "009", "011"]) {
    if (digits.startsWith(prefix)) add(`+${digits.slice(prefix.length)}`);
  }
  if (!/^\s*\+/.test(raw)) {
    const regions = preferred ? [preferred, ...REGIONS.filter((r) => r !== preferred)] : REGIONS;
    for (const region of regions) add(digits, region);
    add(`+${digits}`);
  }
  return [...readings];
}

/** Regions tried, in order, for a number written without a country code. */
const REGIONS: CountryCode[] = ["CN", "HK", "TW", "US"];

export function phoneForm(raw: string, preferred?: CountryCode): PhoneForm | undefined {
  const digits = raw.replace(/[^\d+]/g, "").replace(/^00/, "+");
  if (digits.replace(/\D/g, "").length < 5) return undefined;
  const regions = preferred ? [preferred, ...REGIONS.filter((r) => r !== preferred)] : REGIONS;
  for (const region of regions) {
    const parsed = parsePhoneNumberFromString(digits, region);
    if (parsed?.isValid()) {
      return {
        e164: parsed.number,
        national: String(parsed.nationalNumber),
        countryCode: parsed.countryCallingCode,
      };
    }
  }
  const bare = digits.replace(/\D/g, "");
  return { e164: `+${bare}`, national: bare.replace(/^0+/, "") };
}

export interface UrlForm {
  /** Unicode, lower case, no trailing dot, no port. */
  host: string;
  /** The host's registrable domain ("example.com"), when it has a public suffix. */
  domain: string | undefined;
  path: string;
  query: URLSearchParams;
}

/** Links that are the same as another written form: Discord's long invite URL is its short one. */
const LINK_ALIASES: [RegExp, string][] = [
  [/^(?:https?:\/\/)?(?:www\.)?discord(?:app)?\.com\/invite\//i, "https://discord.gg/"],
];

export function urlForm(written: string): UrlForm | undefined {
  const raw = LINK_ALIASES.reduce((text, [pattern, canonical]) => text.replace(pattern, canonical), written);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const host = domainToUnicode(url.hostname.replace(/\.$/, "")).toLowerCase() || url.hostname.toLowerCase();
  const parsed = parseDomain(url.hostname);
  if (!parsed.domain || !parsed.isIcann) return undefined;
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, "").toLowerCase();
  return { host, domain: domainToUnicode(parsed.domain).toLowerCase(), path, query: url.searchParams };
}

export function emailForm(raw: string): { local: string; host: string } | undefined {
  const at = raw.lastIndexOf("@");
  if (at <= 0) return undefined;
  const host = urlForm(raw.slice(at + 1))?.host;
  return host ? { local: raw.slice(0, at).toLowerCase(), host } : undefined;
}

/** Handles compare without "@" and case (Telegram, X, Discord and WeChat ids are case-insensitive). */
export function handleForm(raw: string): string {
  return raw.replace(/^@/, "").toLowerCase();
}
