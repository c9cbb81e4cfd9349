import type { CountryCode } from "libphonenumber-js";
import type { Contact, Knowledge } from "../content.ts";
import type { Locale } from "../locale.ts";
import {
  emailForm,
  handleForm,
  type PhoneForm,
  phoneForm,
  phoneReadings,
  type UrlForm,
  urlForm,
} from "./contact-forms.ts";
import { type Candidate, deobfuscateDigits, extractContacts } from "./extract.ts";
import { imitates, nearNumber, skeleton } from "./lookalike.ts";

/**
 * "Is this official?": every contact candidate in a message checked against the registry.
 * `official` — listed; `lookalike` — not listed and imitating a listed contact or the brand;
 * `unlisted` — not listed (to be treated as impersonation all the same).
 */
export type Verdict = "official" | "lookalike" | "unlisted";

export interface ContactCheck {
  candidate: Candidate;
  verdict: Verdict;
  /** The registry entry it is (official) or imitates (lookalike). */
  contact?: Contact;
}

interface CompiledEntry {
  contact: Contact;
  phone?: PhoneForm;
  url?: UrlForm;
  email?: string;
  handle?: string;
}

interface CompiledRegistry {
  entries: CompiledEntry[];
  /** Skeletons of the brand: its name in every locale, official hosts and handles. */
  brands: string[];
}

const compiled = new WeakMap<Knowledge, CompiledRegistry>();

/** Normalises the registry once per knowledge bundle. */
export function compileRegistry(knowledge: Knowledge): CompiledRegistry {
  const cached = compiled.get(knowledge);
  if (cached) return cached;
  const entries = knowledge.contacts.contacts.map((contact) => compileEntry(contact));
  const brands = new Set<string>();
  for (const name of Object.values(knowledge.messages.brand)) brands.add(skeleton(name));
  for (const e of entries) {
    if (e.url && e.url.path === "") brands.add(skeleton(e.url.host, { dropTlds: true }));
    if (e.handle) brands.add(skeleton(e.contact.value.replace(/^@/, "")));
  }
  const registry = { entries, brands: [...brands].filter((b) => b.length >= 4) };
  compiled.set(knowledge, registry);
  return registry;
}

/** A registry entry in normal form; throws when it cannot be normalised (checked at build). */
export function compileEntry(contact: Contact): CompiledEntry {
  const fail = () => {
    throw new RangeError(`contact ${contact.id}: "${contact.value}" is not a valid ${contact.kind}`);
  };
  switch (contact.kind) {
    case "phone":
      return { contact, phone: phoneForm(contact.value) ?? fail() };
    case "url":
      return { contact, url: urlForm(contact.value) ?? fail() };
    case "email": {
      const form = emailForm(contact.value) ?? fail();
      return { contact, email: `${form.local}@${form.host}` };
    }
    case "handle":
      return { contact, handle: handleForm(contact.value) };
  }
}

const REGION: Record<Locale, CountryCode> = { "zh-Hans": "CN", "zh-Hant": "TW", en: "US" };

/** Checks every contact in a message; the reply names the verdict, never the contact as written. */
export function verifyContacts(text: string, knowledge: Knowledge, locale: Locale): ContactCheck[] {
  const registry = compileRegistry(knowledge);
  const brandNames = [knowledge.messages.brand["zh-Hans"], knowledge.messages.brand["zh-Hant"]];
  return extractContacts(text, { brandNames }).map((candidate) => check(candidate, registry, locale));
}

function check(candidate: Candidate, registry: CompiledRegistry, locale: Locale): ContactCheck {
  const result = (verdict: Verdict, entry?: CompiledEntry): ContactCheck =>
    entry ? { candidate, verdict, contact: entry.contact } : { candidate, verdict };
  switch (candidate.kind) {
    case "phone":
      return checkPhone(candidate, registry, locale, result);
    case "url":
      return checkUrl(candidate, registry, result);
    case "email":
      return checkEmail(candidate, registry, result);
    case "handle":
    case "wechat":
      return checkHandle(candidate, registry, result);
    case "qq":
      return result("unlisted");
  }
}

type Result = (verdict: Verdict, entry?: CompiledEntry) => ContactCheck;

function checkPhone(candidate: Candidate, registry: CompiledRegistry, locale: Locale, result: Result) {
  const raw = deobfuscateDigits(candidate.raw);
  const phones = registry.entries.filter((e) => e.phone);
  const readings = phoneReadings(raw, REGION[locale]);
  const digits = raw.replace(/\D/g, "").replace(/^0+/, "");
  // Written with "+", it must be ours exactly; otherwise any reading of it, or our national digits.
  const international = /^\s*\+/.test(raw);
  const same = phones.find(
    (e) =>
      readings.includes(e.phone?.e164 ?? "") ||
      (!international &&
        (e.phone?.national === digits || `${e.phone?.countryCode}${e.phone?.national}` === digits)),
  );
  if (same && raw === candidate.raw) return result("official", same);
  const near = phones.find(
    (e) =>
      same === e ||
      nearNumber(digits, e.phone?.national ?? "") ||
      readings.some((r) => nearNumber(r.replace(/\D/g, ""), (e.phone?.e164 ?? "").replace(/\D/g, ""))),
  );
  return near ? result("lookalike", near) : result("unlisted");
}

function checkUrl(candidate: Candidate, registry: CompiledRegistry, result: Result) {
  const form = urlForm(candidate.raw);
  if (!form) return result("unlisted");
  const official = registry.entries.find((e) => e.url && urlMatches(form, e.url));
  if (official) return result("official", official);
  const sameHostLink = registry.entries.find(
    (e) => e.url && e.url.path !== "" && e.url.host === bareHost(form),
  );
  if (sameHostLink?.url) {
    // An app listing or invite on the same host: compare what identifies it (query values, last path part).
    const identity = (u: UrlForm) =>
      skeleton([...u.query.values(), u.path.split("/").at(-1) ?? ""].join(" "));
    const near = imitates(identity(form), [identity(sameHostLink.url)]);
    return near ? result("lookalike", sameHostLink) : result("unlisted");
  }
  return imitates(skeleton(form.host, { dropTlds: true }), registry.brands)
    ? result("lookalike", registry.entries.find((e) => e.contact.id === "website") ?? firstUrl(registry))
    : result("unlisted");
}

/** A site entry covers its host and subdomains; a link entry its host, path and query values. */
function urlMatches(candidate: UrlForm, entry: UrlForm): boolean {
  if (entry.path === "") return candidate.host === entry.host || candidate.host.endsWith(`.${entry.host}`);
  if (bareHost(candidate) !== entry.host) return false;
  // The listing's own id ends the path; stores add country segments in front ("/hk/app/…/id123").
  const lastSegment = (path: string) => path.split("/").at(-1);
  const samePath = candidate.path === entry.path || candidate.path.startsWith(`${entry.path}/`);
  if (!samePath && lastSegment(candidate.path) !== lastSegment(entry.path)) return false;
  for (const [name, value] of entry.query) if (candidate.query.get(name) !== value) return false;
  return true;
}

function bareHost(form: UrlForm): string {
  return form.host.replace(/^www\./, "");
}

function firstUrl(registry: CompiledRegistry): CompiledEntry | undefined {
  return registry.entries.find((e) => e.url);
}

function checkEmail(candidate: Candidate, registry: CompiledRegistry, result: Result) {
  const form = emailForm(candidate.raw);
  if (!form) return result("unlisted");
  const address = `${form.local}@${form.host}`;
  const emails = registry.entries.filter((e) => e.email);
  const official = emails.find((e) => e.email === address);
  if (official) return result("official", official);
  const hostForm = urlForm(form.host);
  const siteEntry =
    hostForm && registry.entries.find((e) => e.url && e.url.path === "" && urlMatches(hostForm, e.url));
  const hostImitates = imitates(skeleton(form.host, { dropTlds: true }), registry.brands);
  const localImitates = imitates(skeleton(form.local), registry.brands);
  const nearMailbox =
    siteEntry && emails.find((e) => imitates(skeleton(form.local), [skeleton(e.email?.split("@")[0] ?? "")]));
  if (hostImitates || localImitates || nearMailbox) return result("lookalike", emails[0]);
  return result("unlisted");
}

/** The username in a profile link ("t.me/Name?start=x", "x.com/Name"), or the handle as written. */
function profileName(raw: string): string {
  const link = /(?:t\.me|telegram\.me|telegram\.dog|x\.com|twitter\.com)\/@?([A-Za-z0-9_]+)/i.exec(raw);
  return link?.[1] ?? raw;
}

function checkHandle(candidate: Candidate, registry: CompiledRegistry, result: Result) {
  const platform = candidate.kind === "wechat" ? "wechat" : candidate.platform;
  const handle = handleForm(profileName(candidate.raw));
  const handles = registry.entries.filter((e) => e.handle);
  const onPlatform = handles.filter((e) => !platform || e.contact.platform === platform);
  const official = (onPlatform.length > 0 ? onPlatform : handles).find((e) => e.handle === handle);
  if (official) return result("official", official);
  const imitated =
    handles.find((e) => e.handle === handle) ??
    (imitates(skeleton(handle), registry.brands) ? (onPlatform[0] ?? handles[0]) : undefined);
  return imitated ? result("lookalike", imitated) : result("unlisted");
}
