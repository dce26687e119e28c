import table from './foods.generated.json';
import { normalize } from './parse';
import type { CompositeDish, Food, FoodTable } from './types';

/** The derived USDA SR28 table (see scripts/generate-food-table.mjs), indexed by every name people type. */
export const FOOD_TABLE: FoodTable = table as FoodTable;

export interface FoodMatch {
  food: Food;
  /** exact: the whole name is a known label; partial: a known label is contained in the name. */
  kind: 'exact' | 'partial';
  /** The label that matched. */
  label: string;
}

export interface DishMatch {
  dish: CompositeDish;
  kind: 'exact' | 'partial';
  label: string;
}

/**
 * Words that may sit around a food name without changing which food it is ("grilled skinless chicken breast",
 * "some fresh strawberries"). A partial match is only accepted when every other word is one of these or a word
 * of some food label: an unknown word ("unicorn stew") means we do not know the food, and guessing would hide it.
 */
const FILLER = new Set([
  'some',
  'my',
  'a',
  'an',
  'the',
  'of',
  'fresh',
  'homemade',
  'home',
  'made',
  'leftover',
  'plain',
  'sliced',
  'chopped',
  'diced',
  'shredded',
  'grated',
  'cubed',
  'mashed',
  'grilled',
  'baked',
  'roasted',
  'fried',
  'boiled',
  'steamed',
  'skinless',
  'boneless',
  'organic',
  'hot',
  'cold',
  'warm',
  'iced',
  'little',
  'big',
  'bit',
  'piece',
  'pieces',
  'serving',
  'portion',
  'bowl',
  'plate',
  'cup',
  'glass',
  'side',
  'extra',
  'whole',
  'half',
  'mixed',
  'cooked',
  'raw',
  'ripe',
  'toasted',
  'scrambled',
  'poached',
  'crispy',
  'lean',
  'delicious',
  'tasty',
  'quick',
  'healthy',
  'simple',
  'light',
]);

/** Words that say nothing about which food or how it was cooked. */
const LEADING = new Set([
  'some',
  'my',
  'a',
  'an',
  'the',
  'of',
  'fresh',
  'homemade',
  'leftover',
  'little',
  'bit',
  'delicious',
  'tasty',
  'organic',
  'extra',
  'side',
]);

/** Singular form used for keys only ("berries" → "berry"), so "banana" and "bananas" find the same food. */
export function singular(word: string): string {
  if (/(?:lea|loa|hal)ves$/.test(word)) return `${word.slice(0, -3)}f`;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes|oes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** Lower case, punctuation as the generator keeps it (mirrors `tidy` in scripts/food-table/labels.mjs). */
export const tidy = (s: string) =>
  normalize(s)
    .replace(/[^a-z0-9%'&/.\- ]+/g, ' ')
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export class FoodIndex {
  private readonly foods = new Map<string, Food>();
  private readonly dishes = new Map<string, CompositeDish>();
  private readonly byId = new Map<string, Food>();
  private readonly vocabulary = new Set<string>();
  private readonly protectedNames: string[];
  private readonly spelling: Record<string, string>;

  constructor(readonly table: FoodTable = FOOD_TABLE) {
    this.spelling = table.spelling ?? {};
    const phrases = new Set<string>();
    const add = <T>(map: Map<string, T>, label: string, value: T) => {
      const key = this.key(label);
      if (!key) return;
      // First writer wins: the generator already gave every label to exactly one food.
      if (!map.has(key)) map.set(key, value);
      for (const w of key.split(' ')) this.vocabulary.add(w);
      if (/\b(?:and|with|plus|n)\b|&/.test(label)) phrases.add(tidy(label));
    };
    for (const food of table.foods) {
      this.byId.set(food.id, food);
      for (const label of [food.name, ...food.aliases]) add(this.foods, label, food);
    }
    for (const dish of table.dishes ?? [])
      for (const label of [dish.name, ...dish.aliases]) add(this.dishes, label, dish);
    this.protectedNames = [...phrases].sort((a, b) => b.length - a.length);
  }

  /** The key a label is indexed under: tidy, one spelling per word, singular words. */
  key(label: string): string {
    return tidy(label)
      .split(' ')
      .filter(Boolean)
      .map((w) => singular(this.spelling[w] ?? w))
      .join(' ');
  }

  food(id: string): Food | undefined {
    return this.byId.get(id);
  }

  /** Labels with "and"/"with"/"&" in them, so the splitter keeps dishes such as "mac and cheese" whole. */
  get dishNames(): string[] {
    return this.protectedNames;
  }

  match(name: string): FoodMatch | undefined {
    const found = this.lookup(name, this.foods);
    return found && { food: found.value, kind: found.kind, label: found.label };
  }

  matchDish(name: string): DishMatch | undefined {
    const found = this.lookup(name, this.dishes);
    return found && { dish: found.value, kind: found.kind, label: found.label };
  }

  private lookup<T>(
    name: string,
    map: Map<string, T>,
  ): { value: T; kind: 'exact' | 'partial'; label: string } | undefined {
    const tokens = this.key(name).split(' ').filter(Boolean);
    if (tokens.length === 0) return undefined;
    const full = map.get(tokens.join(' '));
    if (full) return { value: full, kind: 'exact', label: tokens.join(' ') };
    // "some fresh strawberries" is still an exact "strawberries" ("grilled chicken breast" is not a roasted one).
    while (tokens.length > 1 && LEADING.has(tokens[0]!)) tokens.shift();
    const whole = tokens.join(' ');
    const exact = map.get(whole);
    if (exact) return { value: exact, kind: 'exact', label: whole };
    // Longest contained label; among equals the rightmost, because English puts the head noun last.
    for (let len = tokens.length - 1; len >= 1; len--) {
      for (let start = tokens.length - len; start >= 0; start--) {
        const label = tokens.slice(start, start + len).join(' ');
        const value = map.get(label);
        if (!value) continue;
        const rest = [...tokens.slice(0, start), ...tokens.slice(start + len)];
        if (rest.every((w) => FILLER.has(w) || this.vocabulary.has(w))) return { value, kind: 'partial', label };
      }
    }
    return undefined;
  }
}
