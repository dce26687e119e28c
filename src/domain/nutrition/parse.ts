import type { ParsedItem } from './types';

/**
 * Reads free meal text into items: split on separators (commas, "and", "with", "plus", "&", new lines)
 * except inside known dish names, then read a leading quantity, unit and size word from each piece.
 */

const UNICODE_FRACTIONS: Record<string, string> = { '½': ' 1/2', '¼': ' 1/4', '¾': ' 3/4', '⅓': ' 1/3', '⅔': ' 2/3', '⅛': ' 1/8' };

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, half: 0.5, dozen: 12, couple: 2, some: 1,
};

/** Spellings people type → canonical unit. */
const UNITS: Record<string, string> = {
  g: 'g', gram: 'g', grams: 'g', gr: 'g', kg: 'kg', kilogram: 'kg', kilograms: 'kg',
  oz: 'oz', ounce: 'oz', ounces: 'oz', lb: 'lb', lbs: 'lb', pound: 'lb', pounds: 'lb',
  ml: 'ml', milliliter: 'ml', milliliters: 'ml', millilitre: 'ml', millilitres: 'ml', l: 'l', liter: 'l', liters: 'l', litre: 'l', litres: 'l',
  cup: 'cup', cups: 'cup', tbsp: 'tbsp', tablespoon: 'tbsp', tablespoons: 'tbsp', tbs: 'tbsp',
  tsp: 'tsp', teaspoon: 'tsp', teaspoons: 'tsp', 'fl oz': 'fl oz', 'fluid ounce': 'fl oz', 'fluid ounces': 'fl oz',
  slice: 'slice', slices: 'slice', piece: 'piece', pieces: 'piece', pc: 'piece', pcs: 'piece',
  can: 'can', cans: 'can', tin: 'can', tins: 'can', glass: 'glass', glasses: 'glass', bowl: 'bowl', bowls: 'bowl',
  serving: 'serving', servings: 'serving', portion: 'serving', portions: 'serving', handful: 'handful', handfuls: 'handful',
};

const SIZES = new Set(['small', 'medium', 'large']);

export function normalize(text: string): string {
  let s = text.toLowerCase();
  for (const [ch, rep] of Object.entries(UNICODE_FRACTIONS)) s = s.split(ch).join(rep);
  return s.replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
}

/** Splits meal text into pieces, keeping `protectedNames` (dishes such as "mac and cheese") whole. */
export function splitMealText(text: string, protectedNames: readonly string[] = []): string[] {
  let s = normalize(text.replace(/\r?\n/g, ' , '));
  const kept: string[] = [];
  // Longest first, so "peanut butter and jelly sandwich" wins over "peanut butter".
  for (const name of [...protectedNames].sort((a, b) => b.length - a.length)) {
    if (!/\b(and|with|plus|&)\b|&/.test(name)) continue;
    const re = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
    s = s.replace(re, () => `\u0000${kept.push(name) - 1}\u0000`);
  }
  return s
    .split(/\s*(?:,|;|&|\+|\band\b|\bwith\b|\bplus\b)\s*/)
    .map((p) => p.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!).trim())
    .map((p) => p.replace(/^(?:a side of|side of)\s+/, ''))
    .filter((p) => p.length > 0);
}

function readNumber(tokens: string[]): { value: number; used: number } | undefined {
  const frac = /^(\d+)\/(\d+)$/;
  const dec = /^\d+(?:\.\d+)?$/;
  const t0 = tokens[0];
  if (t0 === undefined) return undefined;
  const glued = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(t0); // "200g", "2cups"
  if (glued && UNITS[glued[2]!]) {
    tokens.splice(0, 1, glued[1]!, glued[2]!);
    return readNumber(tokens);
  }
  if (dec.test(t0)) {
    const m = frac.exec(tokens[1] ?? '');
    if (m && Number(m[2]) !== 0) return { value: Number(t0) + Number(m[1]) / Number(m[2]), used: 2 }; // "1 1/2"
    return { value: Number(t0), used: 1 };
  }
  const m = frac.exec(t0);
  if (m && Number(m[2]) !== 0) return { value: Number(m[1]) / Number(m[2]), used: 1 };
  if (t0 in NUMBER_WORDS) {
    // "half a cup", "a dozen eggs", "a couple of eggs"
    const next = tokens[1];
    if ((t0 === 'a' || t0 === 'an') && next && (next === 'dozen' || next === 'couple' || next === 'half')) {
      return { value: NUMBER_WORDS[next]!, used: 2 };
    }
    if (t0 === 'half' && (next === 'a' || next === 'an')) return { value: 0.5, used: 2 };
    return { value: NUMBER_WORDS[t0]!, used: 1 };
  }
  return undefined;
}

export function parseItem(piece: string): ParsedItem {
  const text = piece.trim();
  const tokens = normalize(text).split(' ');
  let quantity = 1;
  const num = readNumber(tokens);
  if (num) {
    quantity = num.value;
    tokens.splice(0, num.used);
  }
  let unit: string | undefined;
  const two = `${tokens[0] ?? ''} ${tokens[1] ?? ''}`;
  if (UNITS[two]) {
    unit = UNITS[two];
    tokens.splice(0, 2);
  } else if (tokens[0] && UNITS[tokens[0]] && tokens.length > 1) {
    unit = UNITS[tokens[0]];
    tokens.splice(0, 1);
  }
  let size: ParsedItem['size'];
  if (tokens[0] && SIZES.has(tokens[0])) {
    size = tokens[0] as ParsedItem['size'];
    tokens.splice(0, 1);
  }
  if (tokens[0] === 'of') tokens.splice(0, 1);
  if (!size && tokens[0] && SIZES.has(tokens[0])) {
    size = tokens[0] as ParsedItem['size'];
    tokens.splice(0, 1);
  }
  const name = tokens.join(' ').replace(/[.!?]+$/, '').trim();
  return { text, quantity, unit, size, name };
}

export function parseMealText(text: string, protectedNames: readonly string[] = []): ParsedItem[] {
  return splitMealText(text, protectedNames).map(parseItem);
}
