import table from './foods.generated.json';
import { normalize } from './parse';
import type { Food, FoodTable } from './types';

/** The derived USDA SR28 table (see scripts/generate-food-table.mjs), indexed by every name people type. */
export const FOOD_TABLE: FoodTable = table as FoodTable;

export interface FoodMatch {
  food: Food;
  /** exact: the whole name is a known label; partial: a known label is contained in the name. */
  kind: 'exact' | 'partial';
}

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes|oes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

const singularPhrase = (s: string) => s.split(' ').map(singular).join(' ');

export class FoodIndex {
  private readonly byLabel = new Map<string, Food>();
  /** Labels longest first, for "contained in" matching ("grilled chicken breast" → "chicken breast"). */
  private readonly labels: string[];

  constructor(readonly table: FoodTable = FOOD_TABLE) {
    for (const food of table.foods) {
      for (const label of [food.name, ...food.aliases]) {
        const n = normalize(label);
        if (!this.byLabel.has(n)) this.byLabel.set(n, food);
        const s = singularPhrase(n);
        if (!this.byLabel.has(s)) this.byLabel.set(s, food);
      }
    }
    this.labels = [...this.byLabel.keys()].sort((a, b) => b.length - a.length);
  }

  /** Every multi-word label, so the splitter keeps dishes such as "mac and cheese" whole. */
  get dishNames(): string[] {
    return this.labels.filter((l) => l.includes(' '));
  }

  match(name: string): FoodMatch | undefined {
    const n = normalize(name);
    if (!n) return undefined;
    const exact = this.byLabel.get(n) ?? this.byLabel.get(singularPhrase(n));
    if (exact) return { food: exact, kind: 'exact' };
    const s = singularPhrase(n);
    for (const label of this.labels) {
      const re = new RegExp(`(?:^| )${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: |$)`);
      if (re.test(n) || re.test(s)) return { food: this.byLabel.get(label)!, kind: 'partial' };
    }
    return undefined;
  }
}
