import { comparableText, textKey } from "./text.ts";

export interface SimilarGroup<T> {
  /** The member nearest the group's centroid (the earliest among equals). */
  representative: string;
  count: number;
  /** Up to `maxExamples` texts (distinct by `textKey`), nearest the centroid first: `representative` is the first. */
  examples: string[];
  /** The members, in input order. */
  items: T[];
}

export interface GroupOptions {
  /** Cosine between a text and a group's centroid from which the text joins the group. */
  threshold?: number;
  maxExamples?: number;
  /**
   * Documents that only inform how common each gram is, so that "how do I" and "怎么" weigh little
   * and "注销" much even in a list of six: one per intent, its training utterances together
   * (`intentBackground`). Without it a short list cannot tell a generic word from a topic, and "how
   * do I withdraw" meets "how do I top up".
   */
  background?: readonly string[];
}

/**
 * Chosen on tests/fixtures/misses/labelled-misses.json (see its test): with the intents as
 * background, purity is 1.0 there from 0.2 to 0.4 and 0.99 at 0.45; without, 1.0 from 0.25 and 0.95
 * at 0.2. Higher values only split groups (22 groups at 0.25, 27 at 0.4), so 0.25 it is.
 */
export const DEFAULT_SIMILARITY = 0.25;

/** The background `groupSimilar` wants: one document per intent, of its training utterances. */
export function intentBackground(intents: readonly { utterances: readonly string[] }[]): string[] {
  return intents.map((intent) => intent.utterances.join("\n"));
}

type Vector = Map<string, number>;

interface Cluster {
  /** Creation order: breaks ties, so the result does not depend on how a Map iterates. */
  order: number;
  members: number[];
  /** Sum of the members' unit vectors; its direction is the centroid. */
  sum: Vector;
  /** The squared length of `sum`, kept as members join. */
  norm2: number;
}

/** Gram → the clusters whose sum has it: only clusters that share a gram are ever compared. */
type Postings = Map<string, Cluster[]>;

/**
 * Groups messages that ask the same thing, for the misses list: fifty ways of asking one question
 * should read as one line with a count. Each text becomes a TF-IDF vector of character n-grams and
 * words: Chinese has no spaces, so Han runs give characters and bigrams, in Simplified form so both
 * scripts meet; Latin words give the word and, lighter, its trigrams, so "withdraw" meets
 * "withdrawal". (Han trigrams were tried: in messages this short nearly every trigram is the
 * message's own, and they split groups, 7 instead of 5 for the fifty withdrawal questions of the
 * test.) Texts join the group whose centroid is nearest by cosine when it is near enough, in
 * input order; then groups whose centroids are that near merge. Deterministic for a given input
 * order. Texts in different languages share no grams and stay apart: "怎么提现" and "how do I
 * withdraw" are two groups.
 */
export function groupSimilar<T>(
  items: readonly T[],
  text: (item: T) => string,
  options: GroupOptions = {},
): SimilarGroup<T>[] {
  const threshold = options.threshold ?? DEFAULT_SIMILARITY;
  const texts = items.map(text);
  const vectors = tfidf(texts.map(grams), (options.background ?? []).map(grams));
  const clusters: Cluster[] = [];
  const postings: Postings = new Map();
  // A text with no grams at all (only emoji or punctuation) groups with identical texts only.
  const gramless = new Map<string, Cluster>();
  vectors.forEach((vector, index) => {
    if (vector.size === 0) {
      const key = comparableText(texts[index] ?? "");
      const same = gramless.get(key);
      if (same) same.members.push(index);
      else {
        const cluster = { order: clusters.length, members: [index], sum: new Map(), norm2: 0 };
        clusters.push(cluster);
        gramless.set(key, cluster);
      }
      return;
    }
    const target = nearest(vector, postings, threshold);
    if (target) {
      target.members.push(index);
      join(target, vector, 1, postings);
      return;
    }
    const cluster: Cluster = { order: clusters.length, members: [index], sum: new Map(), norm2: 0 };
    join(cluster, vector, 1, postings);
    clusters.push(cluster);
  });
  return mergeNear(clusters, postings, threshold)
    .map((cluster) => describe(cluster, items, texts, vectors, options.maxExamples ?? 5))
    .sort((a, b) => b.group.count - a.group.count || a.first - b.first)
    .map(({ group }) => group);
}

/** Dot products of `vector` with every cluster sharing a gram with it. */
function dots(vector: Vector, postings: Postings): Map<Cluster, number> {
  const scores = new Map<Cluster, number>();
  for (const [gram, weight] of vector) {
    for (const cluster of postings.get(gram) ?? []) {
      scores.set(cluster, (scores.get(cluster) ?? 0) + weight * (cluster.sum.get(gram) ?? 0));
    }
  }
  return scores;
}

/** The cluster whose centroid is nearest the unit `vector`, if at least `threshold`; the earliest among equals. */
function nearest(vector: Vector, postings: Postings, threshold: number): Cluster | undefined {
  let best: Cluster | undefined;
  let bestScore = threshold;
  for (const [cluster, product] of dots(vector, postings)) {
    const score = product / Math.sqrt(cluster.norm2);
    if (score > bestScore || (score === bestScore && (!best || cluster.order < best.order))) {
      best = cluster;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Joins clusters whose centroids are at least `threshold` apart, until none are: the single pass
 * above can split a question between two groups when two of its wordings came before any bridge.
 */
function mergeNear(clusters: readonly Cluster[], postings: Postings, threshold: number): Cluster[] {
  const absorbed = new Set<Cluster>();
  for (let merged = true; merged; ) {
    merged = false;
    for (const a of clusters) {
      if (a.norm2 === 0 || absorbed.has(a)) continue;
      const near = [...dots(a.sum, postings)]
        .filter(
          ([b, product]) =>
            b.order > a.order && !absorbed.has(b) && product / Math.sqrt(a.norm2 * b.norm2) >= threshold,
        )
        .map(([b]) => b)
        .sort((x, y) => x.order - y.order);
      for (const b of near) {
        a.members.push(...b.members);
        join(a, b.sum, b.norm2, postings);
        absorbed.add(b);
        merged = true;
      }
      a.members.sort((x, y) => x - y);
    }
  }
  return clusters.filter((c) => !absorbed.has(c));
}

function describe<T>(
  cluster: Cluster,
  items: readonly T[],
  texts: readonly string[],
  vectors: readonly Vector[],
  maxExamples: number,
): { group: SimilarGroup<T>; first: number } {
  const central = cluster.members
    .map((index) => ({ index, score: dot(vectors[index] as Vector, cluster.sum) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const examples: string[] = [];
  const seen = new Set<string>();
  for (const { index } of central) {
    const example = texts[index] ?? "";
    const key = textKey(example);
    if (seen.has(key)) continue;
    seen.add(key);
    examples.push(example);
    if (examples.length === maxExamples) break;
  }
  const group: SimilarGroup<T> = {
    representative: texts[central[0]?.index ?? 0] ?? "",
    count: cluster.members.length,
    examples,
    items: cluster.members.map((index) => items[index] as T),
  };
  return { group, first: cluster.members[0] ?? 0 };
}

/** What the misses list writes in place of a contact or a secret: one token each, whatever its kind. */
const PLACEHOLDER = /\[(?:contact|redacted:[a-z_]+)\]/g;
const TOKEN = /(\p{Script=Han}+)|([\p{L}\p{M}][\p{L}\p{M}\p{N}'’]*)|(\p{N}+)|(\{\w+\})/gu;

/**
 * Weight of each kind of gram: Han characters and bigrams, words, trigrams inside words (lighter:
 * they bridge inflections and typos), digit runs and placeholders (what was asked matters more than
 * the amount or the contact). Tuned on the labelled set of the test, like the threshold.
 */
const FAMILY_WEIGHTS: Record<string, number> = { h: 1, w: 1, s: 0.75, d: 0.5, p: 0.5 };

/** Gram ("<family>:<gram>") → how often it occurs in the text. */
function grams(text: string): Vector {
  const counts: Vector = new Map();
  const count = (gram: string) => counts.set(gram, (counts.get(gram) ?? 0) + 1);
  const source = comparableText(text).replace(PLACEHOLDER, (p) => ` {${p.slice(1, 9).replace(/\W/g, "")}} `);
  for (const [, han, word, digits, placeholder] of source.matchAll(TOKEN)) {
    if (han) {
      const chars = [...han];
      chars.forEach((char, i) => {
        count(`h:${char}`);
        if (i > 0) count(`h:${chars[i - 1]}${char}`);
      });
    } else if (word) {
      count(`w:${word}`);
      // Short words ("how", "do", "my") are their own trigrams: counting them twice would make every
      // "how do I …" question look alike.
      const padded = ` ${word} `;
      if (word.length > 3) for (let i = 0; i + 3 <= padded.length; i++) count(`s:${padded.slice(i, i + 3)}`);
    } else if (digits) count("d:#");
    else if (placeholder) count(`p:${placeholder}`);
  }
  return counts;
}

/** Sublinear term weights times smoothed IDF (over these texts and the background), unit length. */
function tfidf(documents: readonly Vector[], background: readonly Vector[]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of [...documents, ...background])
    for (const gram of doc.keys()) df.set(gram, (df.get(gram) ?? 0) + 1);
  const n = documents.length + background.length;
  return documents.map((doc) => {
    const vector: Vector = new Map();
    let norm = 0;
    for (const [gram, tf] of doc) {
      const family = FAMILY_WEIGHTS[gram.slice(0, 1)] ?? 1;
      const idf = Math.log((1 + n) / (1 + (df.get(gram) ?? 0))) + 1;
      const weight = family * (1 + Math.log(tf)) * idf;
      if (weight === 0) continue;
      vector.set(gram, weight);
      norm += weight * weight;
    }
    const length = Math.sqrt(norm);
    for (const [gram, weight] of vector) vector.set(gram, weight / length);
    return vector;
  });
}

/** The dot product; for unit vectors, their cosine. */
function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [gram, weight] of small) sum += weight * (large.get(gram) ?? 0);
  return sum;
}

/** Adds `vector` (of squared length `norm2`) to the cluster's sum, and the cluster to new grams' postings. */
function join(cluster: Cluster, vector: Vector, norm2: number, postings: Postings): void {
  cluster.norm2 += 2 * dot(cluster.sum, vector) + norm2;
  for (const [gram, weight] of vector) {
    const before = cluster.sum.get(gram);
    if (before === undefined) {
      const list = postings.get(gram);
      if (list) list.push(cluster);
      else postings.set(gram, [cluster]);
    }
    cluster.sum.set(gram, (before ?? 0) + weight);
  }
}
