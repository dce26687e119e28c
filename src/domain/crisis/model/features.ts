/**
 * Text → sparse feature vector for the learned screening signal. Pure and deterministic: the same text always
 * gives the same vector, so a model version always gives the same score.
 *
 * Features: word unigrams and bigrams (phrasing: "took all", "all my", "won't be here"), and the concept
 * classes of lexicon.ts: each class a word belongs to ("sertraline" → drug), the classes of neighbouring words
 * ("took 40 sertraline" → ingest qty, qty drug) and the pairs of classes within CONCEPT_WINDOW words of each
 * other (drug + now, means + farewell, recovery + past). The classes let a model trained on ~1,000 entries
 * carry what it learned to words it never saw; on the dev split they raised AUC by 0.01–0.04 at every level
 * over word + character n-grams (docs/screening/model.md), and character n-grams added nothing beside them.
 * Everything is hashed into a fixed number of buckets with FNV-1a, weighted 1 + log(count) and L2-normalised.
 *
 * Words outside the model's vocabulary (seen in fewer than two training entries) are all read as one word,
 * UNKNOWN_WORD, and keep their concept classes: a name, a typo or a random marker then gives the same features
 * whichever it is, so it cannot move a score or a tier (before, each unknown word hashed into its own buckets,
 * shifted the L2 norm and could land on a weighted bucket: a random marker moved 13 of 300 entries a tier).
 */

import { conceptsOf } from './lexicon';

/** 2^18 buckets: with ~15k distinct features in the corpus, few share a bucket. */
export const FEATURE_BUCKETS = 1 << 18;

/** FNV-1a 32-bit: fast, deterministic across platforms, good spread for short strings. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const bucket = (s: string) => fnv1a(s) % FEATURE_BUCKETS;

/** Lower case, straight apostrophes, letters/digits/apostrophes/emoji kept; everything else separates words. */
export function words(text: string): string[] {
  const lower = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'");
  return (
    lower
      .match(/[\p{L}\p{N}']+|\p{Extended_Pictographic}/gu)
      ?.map((w) => w.replace(/^'+|'+$/g, ''))
      .filter(Boolean) ?? []
  );
}

/** A sparse vector: parallel arrays of bucket indices (ascending, unique) and values. */
export interface SparseVector {
  index: number[];
  value: number[];
}

/** Classes this many words apart still form a pair: about a clause ("took all of my pills" spans 4). */
export const CONCEPT_WINDOW = 6;

/** What every out-of-vocabulary word is read as; `words` never yields it ('<' is not a letter). */
export const UNKNOWN_WORD = '<unk>';

/** `vocabulary`: the words the model knows by name; any other word is UNKNOWN_WORD (its classes are kept). */
export function featurize(text: string, vocabulary: ReadonlySet<string>): SparseVector {
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const b = bucket(key);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const seen = words(text);
  const classes = seen.map(conceptsOf);
  const ws = seen.map((w) => (vocabulary.has(w) ? w : UNKNOWN_WORD));
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const cs = classes[i]!;
    add(`w:${w}`);
    if (i > 0) add(`b:${ws[i - 1]} ${w}`);
    for (const c of cs) add(`k:${c}`);
    if (i > 0) {
      // A class next to a class or a word: "ingest qty", "qty drug", "took qty".
      const prev = classes[i - 1]!;
      if (prev.length > 0 || cs.length > 0)
        for (const a of prev.length > 0 ? prev : [ws[i - 1]!])
          for (const b of cs.length > 0 ? cs : [w]) add(`kb:${a} ${b}`);
    }
    for (let j = Math.max(0, i - CONCEPT_WINDOW); j < i; j++)
      for (const a of classes[j]!) for (const b of cs) if (a !== b) add(`kw:${a < b ? `${a}+${b}` : `${b}+${a}`}`);
  }
  const index = [...counts.keys()].sort((a, b) => a - b);
  const raw = index.map((b) => 1 + Math.log(counts.get(b)!));
  const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0)) || 1;
  return { index, value: raw.map((v) => v / norm) };
}
