import { distance } from "fastest-levenshtein";

/**
 * Lookalike analysis: reduce a name to a "skeleton" (homoglyphs and digit stand-ins folded to Latin
 * letters, filler words such as "support" or "官方" dropped), then compare it with the brand's own
 * skeletons. A small table of the confusables that matter for Latin names (after Unicode TR39), not
 * the whole confusables file: names here are domains and handles, not arbitrary text.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ӏ: "l",
  ɡ: "g",
  ɩ: "i",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  // digits and symbols used for letters
  "0": "o",
  "1": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
};

/** Words that impersonators add to an official name; they carry no identity. */
const FILLERS = [
  "official",
  "offical",
  "support",
  "supports",
  "help",
  "helpdesk",
  "helpline",
  "service",
  "services",
  "customer",
  "customers",
  "care",
  "kefu",
  "cs",
  "team",
  "admin",
  "bot",
  "app",
  "online",
  "secure",
  "security",
  "login",
  "signin",
  "verify",
  "verification",
  "center",
  "centre",
  "desk",
  "hotline",
  "real",
  "global",
  "news",
  "hk",
  "cn",
  "tw",
  "us",
  "vip",
  "24h",
  "247",
  "live",
  "chat",
  "contact",
  "refund",
  "客服",
  "官方",
  "人工",
  "中心",
  "热线",
  "熱線",
  "在线",
  "在線",
];
const FILLER_SKELETONS = [...new Set(FILLERS.map(fold))].sort((a, b) => b.length - a.length);

/** Top-level names that appear as labels inside impersonating hosts ("wallet.example.com.evil.io"). */
const TLD_TOKENS = new Set(["com", "net", "org", "co", "io", "app", "cn", "hk", "tw", "top", "xyz", "info"]);

/** Lower case, homoglyphs and digit stand-ins folded, "rn"→"m" and "vv"→"w". */
export function fold(text: string): string {
  const lower = text.normalize("NFKC").toLowerCase();
  let out = "";
  for (const c of lower) out += CONFUSABLES[c] ?? c;
  return out.replace(/rn/g, "m").replace(/vv/g, "w");
}

/** Splits a name into words: at separators and camelCase boundaries. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .split(/[\s._\-/]+/u)
    .filter((w) => w.length > 0);
}

/** The identity part of a name: folded words without fillers (and TLD-like labels), joined. */
export function skeleton(name: string, options: { dropTlds?: boolean } = {}): string {
  const kept: string[] = [];
  for (const word of words(name)) {
    let w = fold(word);
    if (options.dropTlds && TLD_TOKENS.has(w)) continue;
    w = stripFillers(w);
    if (w.length > 0) kept.push(w);
  }
  return kept.join("");
}

/** Removes filler words at either end of a word, repeatedly, as long as something is left. */
function stripFillers(word: string): string {
  let w = word;
  for (let changed = true; changed; ) {
    changed = false;
    for (const filler of FILLER_SKELETONS) {
      if (w === filler) return "";
      if (w.length > filler.length + 2 && w.startsWith(filler)) {
        w = w.slice(filler.length);
        changed = true;
      } else if (w.length > filler.length + 2 && w.endsWith(filler)) {
        w = w.slice(0, -filler.length);
        changed = true;
      }
    }
  }
  return w;
}

/** Whether a skeleton imitates one of the brand's: equal, within two edits, or containing it. */
export function imitates(candidate: string, brands: readonly string[]): string | undefined {
  if (candidate.length < 3) return undefined;
  return brands.find((brand) => {
    if (brand.length < 4) return false;
    if (candidate === brand || candidate.includes(brand)) return true;
    const allowed = brand.length >= 8 ? 2 : 1;
    return Math.abs(candidate.length - brand.length) <= allowed && distance(candidate, brand) <= allowed;
  });
}

/** Digits within two edits of an official number's (same length give or take one). */
export function nearNumber(candidate: string, official: string): boolean {
  if (candidate.length < 7 || Math.abs(candidate.length - official.length) > 1) return false;
  return distance(candidate, official) <= 2;
}
