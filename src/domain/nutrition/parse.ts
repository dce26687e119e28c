import { CONTAINERS, NUMBER_WORDS, SIZE_WORDS, SIZES, UNICODE_FRACTIONS, UNITS } from './quantity-words';
import type { ParsedItem } from './types';

/**
 * Reads free meal text into items: split on separators (commas, "and", "with", "plus", "&", new lines)
 * except inside known dish names, then read a leading quantity, unit and size word from each piece.
 */

/** NUL marks wrap the index of a protected dish name while the text is split (splitPieces). */
const MARK = '\u0000';
const PLACEHOLDER = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

export function normalize(text: string): string {
  let s = text.toLowerCase();
  for (const [ch, rep] of Object.entries(UNICODE_FRACTIONS)) s = s.split(ch).join(rep);
  return s.replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();
}

/** Splits meal text into pieces, keeping `protectedNames` (dishes such as "mac and cheese") whole. */
export function splitMealText(text: string, protectedNames: readonly string[] = []): string[] {
  return splitPieces(text, protectedNames).map((p) => p.text);
}

/**
 * Like splitMealText, and also says which pieces were added "with" something ("coffee with milk"): an add-on
 * without an amount is a smaller helping than a dish on its own.
 */
export function splitPieces(
  text: string,
  protectedNames: readonly string[] = [],
): Array<{ text: string; addOn: boolean }> {
  let s = normalize(text.replace(/\r?\n/g, ' , '));
  const kept: string[] = [];
  // Longest first, so "peanut butter and jelly sandwich" wins over "peanut butter".
  for (const name of [...protectedNames].sort((a, b) => b.length - a.length)) {
    if (!/\b(and|with|plus|&)\b|&/.test(name) || !s.includes(name)) continue;
    const re = new RegExp(`(?<![a-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g');
    s = s.replace(re, () => `${MARK}${kept.push(name) - 1}${MARK}`);
  }
  const parts = s.split(/\s*(,|;|&|\+|\band\b|\bwith\b|\bplus\b)\s*/);
  const out: Array<{ text: string; addOn: boolean }> = [];
  for (let i = 0; i < parts.length; i += 2) {
    const piece = parts[i]!.replace(PLACEHOLDER, (_, n: string) => kept[Number(n)]!)
      .trim()
      .replace(/^(?:a side of|side of)\s+/, '');
    if (piece.length > 0) out.push({ text: piece, addOn: parts[i - 1] === 'with' });
  }
  return out;
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
    if (
      (t0 === 'a' || t0 === 'an') &&
      next &&
      (next === 'dozen' || next === 'couple' || next === 'half' || next === 'few')
    ) {
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
  let quantityGiven = false;
  const num = readNumber(tokens);
  if (num) {
    quantity = num.value;
    quantityGiven = true;
    tokens.splice(0, num.used);
    if (tokens[0] === 'dozen') {
      quantity *= 12;
      tokens.shift();
    } // "half a dozen eggs"
    // "a 12 oz can", "two 330 ml bottles": the count multiplies the measure that follows.
    if (/^\d/.test(tokens[0] ?? '')) {
      const inner = readNumber(tokens);
      if (inner) {
        quantity *= inner.value;
        tokens.splice(0, inner.used);
      }
    }
  }
  let size: ParsedItem['size'];
  let sizeWord: string | undefined;
  const readSize = () => {
    const word = tokens[0] === undefined ? undefined : SIZE_WORDS[tokens[0]];
    if (!size && word && tokens.length > 1) {
      size = word;
      sizeWord = tokens.shift();
    }
  };
  // A size word may come before the unit ("a large glass of milk") or after it ("a cup of large strawberries").
  if (tokens[0] && SIZES.has(tokens[0]) && UNITS[tokens[1] ?? ''] && tokens.length > 2) readSize();
  let unit: string | undefined;
  const two = `${tokens[0] ?? ''} ${tokens[1] ?? ''}`;
  if (UNITS[two]) {
    unit = UNITS[two];
    tokens.splice(0, 2);
  } else if (tokens[0] && UNITS[tokens[0]] && tokens.length > 1) {
    unit = UNITS[tokens[0]];
    tokens.splice(0, 1);
  }
  let container: string | undefined;
  if (unit && tokens[0] && CONTAINERS.has(tokens[0]) && tokens[1] === 'of') {
    container = tokens[0].replace(/(e?s)$/, (m) => (tokens[0] === 'glasses' ? '' : m === 'es' ? 'e' : ''));
    container = UNITS[tokens[0]] ?? container;
    tokens.splice(0, 2);
  }
  if (!size && tokens[0] && SIZES.has(tokens[0])) readSize();
  if (tokens[0] === 'of') tokens.splice(0, 1);
  readSize();
  if (!size && tokens[0] && SIZES.has(tokens[0])) readSize();
  const name = tokens
    .join(' ')
    .replace(/[.!?]+$/, '')
    .trim();
  const item: ParsedItem = { text, quantity, unit, size, name };
  if (container) item.container = container;
  if (!quantityGiven) Object.defineProperty(item, 'implicit', { value: true, enumerable: false });
  // Kept so a name that starts with a size word ("big mac", "large fries") can still be matched whole.
  if (sizeWord) Object.defineProperty(item, 'sizeWord', { value: sizeWord, enumerable: false });
  return item;
}

/** The size word as typed ("big"), when one was read. */
export const sizeWordOf = (item: ParsedItem) => (item as ParsedItem & { sizeWord?: string }).sizeWord;

/** True when the text gave no amount at all ("toast", "coffee"): a typical serving is then assumed. */
export const isImplicit = (item: ParsedItem) => (item as ParsedItem & { implicit?: boolean }).implicit === true;

export function parseMealText(text: string, protectedNames: readonly string[] = []): ParsedItem[] {
  return splitPieces(text, protectedNames).map((p) => {
    const item = parseItem(p.text);
    if (p.addOn) Object.defineProperty(item, 'addOn', { value: true, enumerable: false });
    return item;
  });
}

/** True for a piece that came after "with" ("coffee with milk"). */
export const isAddOn = (item: ParsedItem) => (item as ParsedItem & { addOn?: boolean }).addOn === true;
