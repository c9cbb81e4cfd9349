import STCharacters from "opencc-js/dict/STCharacters";
import TSCharacters from "opencc-js/dict/TSCharacters";

/**
 * Character tables built once from OpenCC's character dictionaries, as flat arrays over the Basic
 * Multilingual Plane so that a lookup is one array read (the OpenCC converter walks a trie per
 * character, several times slower, and its phrase tables measured no better for classification).
 */

/** Pairs "from to…" of an OpenCC dictionary where both sides are single BMP characters. */
function singleCharacterPairs(dictionary: string): [number, number][] {
  const pairs: [number, number][] = [];
  for (const entry of dictionary.split("|")) {
    const [from, to] = entry.split(" ");
    if (from?.length === 1 && to?.length === 1 && from !== to)
      pairs.push([from.charCodeAt(0), to.charCodeAt(0)]);
  }
  return pairs;
}

const traditionalPairs = singleCharacterPairs(TSCharacters);

/** Traditional code unit → its Simplified code unit; 0 where the character is not Traditional-only. */
export const TO_SIMPLIFIED = new Uint16Array(0x10000);
for (const [from, to] of traditionalPairs) TO_SIMPLIFIED[from] = to;

export const HAN = 1;
export const TRADITIONAL_ONLY = 2;
export const SIMPLIFIED_ONLY = 3;

/** What each BMP code unit is: 0 (not Han), HAN, TRADITIONAL_ONLY or SIMPLIFIED_ONLY. */
export const SCRIPT = new Uint8Array(0x10000);
for (const [start, end] of [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
]) {
  SCRIPT.fill(HAN, start, (end as number) + 1);
}
// Simplified-only: has a Traditional form and is not itself a Traditional character.
for (const [from] of singleCharacterPairs(STCharacters))
  if (TO_SIMPLIFIED[from] === 0) SCRIPT[from] = SIMPLIFIED_ONLY;
for (const [from] of traditionalPairs) SCRIPT[from] = TRADITIONAL_ONLY;
