// Label normalisation (mirrors src/domain/nutrition/food-table.ts): how a name or alias is tidied and folded
// into the key it is indexed under. The matcher folds what people type the same way, so both must agree.

/** Singular form of one word ("berries" → "berry"), for keys and for the head noun of names. */
export function singular(word) {
  if (/(?:lea|loa|hal)ves$/.test(word)) return `${word.slice(0, -3)}f`;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes|oes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** Lower case, straight apostrophes, only the punctuation labels keep, single spaces. */
export const tidy = (s) =>
  s
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9%'&/.\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * `labelKey` for a spelling map (British/variant → the spelling used in keys, data/food-rules.json `spelling`):
 * the key a label is indexed under: lower case, one spelling, singular words.
 */
export const labelKeyFor = (spelling) => (s) =>
  tidy(s)
    .split(' ')
    .map((w) => singular(spelling[w] ?? w))
    .join(' ');
