import { type FoodIndex, tidy } from './food-table';
import type { Food } from './types';

/** Longest query: a food name, not a sentence. */
export const MAX_FOOD_QUERY = 100;
/** Page size bounds of GET /v1/foods: 20 fits a picker; 50 is enough for any one screen. */
export const DEFAULT_FOOD_PAGE = 20;
export const MAX_FOOD_PAGE = 50;

export interface FoodHit {
  food: Food;
  /** 0 exact name or alias, 1 name or alias starting with the query, 2 every query word in a label. */
  rank: number;
}

/**
 * Foods whose name or an alias matches every word of `q` (singular or plural, British or American spelling),
 * best first: an exact label, then a label starting with the query, then any label holding all the words;
 * shorter names first within a rank (the plain food before its variants), then by name.
 */
/** Every food's label keys, computed once per index (about 3,000 foods and 20,000 labels). */
const KEYS = new WeakMap<FoodIndex, Array<{ food: Food; keys: string[] }>>();

function labelKeys(index: FoodIndex) {
  let keys = KEYS.get(index);
  if (!keys) {
    keys = index.table.foods.map((food) => ({ food, keys: [food.name, ...food.aliases].map((l) => index.key(l)) }));
    KEYS.set(index, keys);
  }
  return keys;
}

function rankOf(label: string, key: string, words: readonly string[]): number | undefined {
  if (label === key) return 0;
  if (label.startsWith(key)) return 1;
  return words.every((w) => label.includes(w)) ? 2 : undefined;
}

export function searchFoods(index: FoodIndex, q: string): FoodHit[] {
  const key = index.key(q);
  const words = key.split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const hits: FoodHit[] = [];
  for (const { food, keys } of labelKeys(index)) {
    let best: number | undefined;
    for (const label of keys) {
      const rank = rankOf(label, key, words);
      if (rank !== undefined && (best === undefined || rank < best)) best = rank;
      if (best === 0) break;
    }
    if (best !== undefined) hits.push({ food, rank: best });
  }
  return hits.sort(
    (a, b) => a.rank - b.rank || a.food.name.length - b.food.name.length || a.food.name.localeCompare(b.food.name),
  );
}

/** True when the query holds at least one letter or digit after tidying (punctuation alone finds nothing). */
export const isSearchableQuery = (q: string) => tidy(q).replace(/[^a-z0-9]/g, '').length > 0;
