/**
 * Training examples the build derives from content/, so people write each thing once:
 * - pinyin typed without tones ("wo de mima wang le") from the Chinese utterances;
 * - out-of-scope messages about other companies from content/brands.yaml's names and templates.
 * Both are deterministic: the same content gives the same examples in the same order.
 */
import { pinyin } from "pinyin-pro";
import * as z from "zod/mini";
import { validate } from "../validate.ts";
import type { Example } from "./train.ts";

const HAN = /\p{Script=Han}/u;
const words = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Toneless pinyin of a Chinese text, as people type it on a keyboard without an input method:
 * `joined` writes each word's syllables together ("wode mima wangle"), otherwise every syllable
 * stands alone ("wo de mi ma wang le"). Latin words and digits stay; punctuation goes.
 */
export function toPinyin(text: string, joined: boolean): string {
  const out: string[] = [];
  for (const { segment, isWordLike } of words.segment(text)) {
    if (!isWordLike) continue;
    if (!HAN.test(segment)) {
      out.push(segment.toLowerCase());
      continue;
    }
    const syllables = pinyin(segment, { toneType: "none", type: "array", v: true }).filter((s) =>
      /^[a-z]+$/.test(s),
    );
    if (joined) out.push(syllables.join(""));
    else out.push(...syllables);
  }
  return out.join(" ");
}

/**
 * One pinyin example per Chinese utterance of at most `maxHan` Han characters (long stories are
 * not typed in pinyin), alternating the joined and the spaced way of writing it.
 */
export function pinyinExamples<E extends Example>(examples: readonly E[], maxHan = 24): E[] {
  const derived: E[] = [];
  const seen = new Set(examples.map((e) => e.text.toLowerCase()));
  for (const example of examples) {
    const han = [...example.text].filter((c) => HAN.test(c)).length;
    if (han === 0 || han > maxHan) continue;
    const text = toPinyin(example.text, derived.length % 2 === 0);
    if (text.length === 0 || seen.has(text)) continue;
    seen.add(text);
    derived.push({ ...example, text });
  }
  return derived;
}

const name = z.string().check(z.minLength(1), z.maxLength(60));
const template = z.string().check(z.maxLength(200), z.regex(/^[^{}]*\{brand\}[^{}]*$/));
export const brandsFileSchema = z.strictObject({
  brands: z.strictObject({
    latin: z.array(name),
    simplified: z.array(name),
    traditional: z.array(name),
  }),
  templates: z.strictObject({
    en: z.array(template).check(z.minLength(1)),
    "zh-Hans": z.array(template).check(z.minLength(1)),
    "zh-Hant": z.array(template).check(z.minLength(1)),
  }),
});
export type BrandsFile = z.infer<typeof brandsFileSchema>;

export function parseBrands(data: unknown, path: string): BrandsFile {
  return validate(brandsFileSchema, data, path);
}

/**
 * Out-of-scope messages about companies that are not this wallet. Each name is used in a few
 * templates of its own script (a Latin-script name also in Chinese ones, as people write
 * "我的PayPal被封了"), templates taken in turn so every template is used about equally.
 */
export function brandExamples<L extends string>(file: BrandsFile, label: L): { text: string; label: L }[] {
  const turn = { en: 0, "zh-Hans": 0, "zh-Hant": 0 };
  const fill = (locale: keyof typeof turn, brand: string) => {
    const list = file.templates[locale];
    const text = (list[turn[locale]++ % list.length] as string).replace("{brand}", brand);
    return { text, label };
  };
  return [
    ...file.brands.latin.flatMap((brand, i) => [
      fill("en", brand),
      fill("en", brand.toLowerCase()),
      fill(i % 2 === 0 ? "zh-Hans" : "zh-Hant", brand),
    ]),
    ...file.brands.simplified.flatMap((brand) => [fill("zh-Hans", brand), fill("zh-Hans", brand)]),
    ...file.brands.traditional.flatMap((brand) => [fill("zh-Hant", brand), fill("zh-Hant", brand)]),
  ];
}
