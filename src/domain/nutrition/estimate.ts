import { FoodIndex } from './food-table';
import { parseMealText } from './parse';
import { type EstimatedItem, type Food, type MealEstimate, NUTRIENT_KEYS, type Nutrients, type ParsedItem } from './types';

/**
 * Turns parsed items into grams and nutrients with the food's own USDA portion weights. Every guess is
 * written down in `assumption`, and an item that matches no food stays visible with zero contribution.
 */

const MASS_GRAMS: Record<string, number> = { g: 1, kg: 1000, oz: 28.3495, lb: 453.592 };
/** US customary volumes in millilitres (exact definitions, not nutrient data). */
const VOLUME_ML: Record<string, number> = { ml: 1, l: 1000, cup: 236.588, tbsp: 14.787, tsp: 4.929, 'fl oz': 29.574 };
/** Household containers as volumes; stated in the assumption text because they vary. */
const CONTAINER_ML: Record<string, number> = { glass: 240, bowl: 355, can: 355 };
/** A handful is about 30 g for nuts, berries and snacks (a rough rule, said so in the assumption). */
const HANDFUL_GRAMS = 30;
/** Without any portion data, one "item" is taken as a 100 g serving. */
const DEFAULT_SERVING_GRAMS = 100;

export const zeroNutrients = (): Nutrients => ({ kcal: 0, protein_g: 0, fat_g: 0, satfat_g: 0, carb_g: 0, fiber_g: 0, sugar_g: 0, sodium_mg: 0 });

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const fmt = (q: number) => (Number.isInteger(q) ? String(q) : String(round(q, 2)));

function findPortion(food: Food, word: string) {
  return food.portions.find((p) => p.unit.toLowerCase() === word || p.unit.toLowerCase().startsWith(`${word} `) || p.unit.toLowerCase().startsWith(`${word},`));
}

/** Grams of one `unit` of this food (by the food's own weights where USDA has them). */
function gramsPerUnit(food: Food, item: ParsedItem): { grams: number; how: string; sure: boolean } {
  const unit = item.unit;
  if (unit && MASS_GRAMS[unit]) return { grams: MASS_GRAMS[unit], how: `${unit}`, sure: true };
  if (unit && VOLUME_ML[unit] !== undefined) {
    const own = findPortion(food, unit);
    if (own) return { grams: own.grams / own.amount, how: `${unit} (USDA: ${own.amount} ${own.unit} = ${own.grams} g)`, sure: true };
    const cup = findPortion(food, 'cup');
    if (cup) return { grams: ((cup.grams / cup.amount) * VOLUME_ML[unit]) / VOLUME_ML.cup!, how: `${unit} via the USDA cup weight`, sure: true };
    return { grams: VOLUME_ML[unit], how: `${unit} at 1 g/ml`, sure: false };
  }
  if (unit && CONTAINER_ML[unit]) {
    const cup = findPortion(food, 'cup');
    const ml = CONTAINER_ML[unit];
    if (cup) return { grams: ((cup.grams / cup.amount) * ml) / VOLUME_ML.cup!, how: `${unit} taken as ${ml} ml`, sure: false };
    return { grams: ml, how: `${unit} taken as ${ml} ml at 1 g/ml`, sure: false };
  }
  if (unit === 'handful') return { grams: HANDFUL_GRAMS, how: `handful taken as ${HANDFUL_GRAMS} g`, sure: false };
  if (unit === 'slice' || unit === 'piece') {
    const own = findPortion(food, unit) ?? food.portions.find((p) => p.unit.toLowerCase().includes(unit));
    if (own) return { grams: own.grams / own.amount, how: `${unit} (USDA: ${own.unit} = ${round(own.grams / own.amount)} g)`, sure: true };
  }
  // A count ("2 eggs", "a medium banana") or a serving: the size word, then a typical single-item portion.
  const wanted = item.size ? [item.size] : ['medium', 'large', 'serving', 'slice', 'piece', 'fruit', 'sandwich', 'patty', 'item', 'breast', 'cup'];
  for (const w of wanted) {
    const p = food.portions.find((x) => x.unit.toLowerCase().split(/[ ,(]/)[0] === w);
    if (p) return { grams: p.grams / p.amount, how: p.unit.split(' (')[0]!, sure: true };
  }
  const first = food.portions[0];
  if (first) return { grams: first.grams / first.amount, how: first.unit, sure: false };
  return { grams: DEFAULT_SERVING_GRAMS, how: `serving taken as ${DEFAULT_SERVING_GRAMS} g`, sure: false };
}

function nutrientsFor(food: Food, grams: number): { nutrients: Nutrients; missing: string[] } {
  const nutrients = zeroNutrients();
  const missing: string[] = [];
  for (const k of NUTRIENT_KEYS) {
    const per100 = food.per100g[k];
    if (per100 === null) missing.push(k);
    nutrients[k] = round(((per100 ?? 0) * grams) / 100, k === 'sodium_mg' || k === 'kcal' ? 0 : 1);
  }
  return { nutrients, missing };
}

export function estimateItem(item: ParsedItem, index: FoodIndex): EstimatedItem & { missing: string[] } {
  const match = index.match(item.name);
  if (!match) {
    return { text: item.text, foodId: null, name: null, grams: 0, confidence: 0, recognized: false, assumption: 'not recognised: not counted', nutrients: zeroNutrients(), missing: [] };
  }
  const per = gramsPerUnit(match.food, item);
  const grams = round(per.grams * item.quantity, 0);
  const { nutrients, missing } = nutrientsFor(match.food, grams);
  const confidence = (match.kind === 'exact' ? 0.95 : 0.75) * (per.sure ? 1 : 0.8);
  return {
    text: item.text,
    foodId: match.food.id,
    name: match.food.name,
    grams,
    confidence: round(confidence, 2),
    recognized: true,
    assumption: `${fmt(item.quantity)} × ${per.how} ${match.food.name} = ${grams} g`,
    nutrients,
    missing,
  };
}

export function estimateMeal(text: string, index: FoodIndex = new FoodIndex()): MealEstimate {
  const parsed = parseMealText(text, index.dishNames);
  const warnings: string[] = [];
  const items: EstimatedItem[] = parsed.map((p) => {
    const { missing, ...item } = estimateItem(p, index);
    if (!item.recognized) warnings.push(`Could not recognise "${item.text}"; it is not included in the totals.`);
    if (missing.length > 0) warnings.push(`USDA has no ${missing.join(', ')} value for ${item.name}; counted as 0.`);
    return item;
  });
  const totals = zeroNutrients();
  for (const item of items) for (const k of NUTRIENT_KEYS) totals[k] = round(totals[k] + item.nutrients[k], k === 'kcal' || k === 'sodium_mg' ? 0 : 1);
  const confidence = items.length === 0 ? 0 : round(items.reduce((s, i) => s + i.confidence, 0) / items.length, 2);
  return { items, totals, confidence, warnings, foodTableVersion: index.table.version };
}
