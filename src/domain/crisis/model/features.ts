/**
 * Text → sparse feature vector for the learned screening signal. Pure and deterministic: the same text always
 * gives the same vector, so a model version always gives the same score.
 *
 * Features: word unigrams and bigrams (phrasing: "took all", "all my", "won't be here") and character 3–5-grams
 * inside words (spelling variants, typos and slang: "kms", "unalive", "sooo", "pils"), hashed into a fixed
 * number of buckets with FNV-1a, weighted 1 + log(count) and L2-normalised. Hashing keeps the model file small
 * and needs no vocabulary; the bucket count makes collisions rare for a corpus this size.
 */

/** 2^18 buckets: with ~30k distinct n-grams in the corpus, fewer than 1 in 10 share a bucket. */
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

export function featurize(text: string): SparseVector {
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const b = bucket(key);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    add(`w:${w}`);
    if (i > 0) add(`b:${ws[i - 1]} ${w}`);
    const padded = `<${w}>`;
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`);
    }
  }
  const index = [...counts.keys()].sort((a, b) => a - b);
  const raw = index.map((b) => 1 + Math.log(counts.get(b)!));
  const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0)) || 1;
  return { index, value: raw.map((v) => v / norm) };
}
