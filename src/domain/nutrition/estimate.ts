import { FoodIndex } from './food-table';
import { isAddOn, isImplicit, parseItem, parseMealText, sizeWordOf } from './parse';
import { gramsPerUnit, isCondiment } from './portions';
import {
  type CompositeDish,
  type EstimatedItem,
  type Food,
  type MealEstimate,
  NUTRIENT_KEYS,
  type Nutrients,
  type ParsedItem,
  zeroNutrients,
} from './types';

/**
 * Turns parsed items into grams and nutrients with the food's own USDA portion weights. Every guess is
 * written down in `assumption`, and an item that matches no food stays visible with zero contribution.
 *
 * Item confidence = match certainty (exact label 0.95, composite dish 0.85, label contained in the text 0.75)
 * × amount certainty (1 for a weighed amount or the food's own USDA portion, 0.8 for a generic household size or
 * an assumed serving, 0.6 when the food has no usable portion).
 */

const MATCH_CERTAINTY = { exact: 0.95, dish: 0.85, partial: 0.75 } as const;

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const fmt = (q: number) => (Number.isInteger(q) ? String(q) : String(round(q, 2)));
const digitsFor = (k: keyof Nutrients) => (k === 'sodium_mg' || k === 'kcal' ? 0 : 1);

export type Estimated = EstimatedItem & { missing: string[] };

function nutrientsFor(food: Food, grams: number): { nutrients: Nutrients; missing: string[] } {
  const nutrients = zeroNutrients();
  const missing: string[] = [];
  for (const k of NUTRIENT_KEYS) {
    const per100 = food.per100g[k];
    if (per100 === null) missing.push(k);
    nutrients[k] = round(((per100 ?? 0) * grams) / 100, digitsFor(k));
  }
  return { nutrients, missing };
}

const unrecognized = (text: string): Estimated => ({
  text,
  foodId: null,
  name: null,
  grams: 0,
  confidence: 0,
  recognized: false,
  assumption: 'not recognised: not counted',
  nutrients: zeroNutrients(),
  missing: [],
});

/** One recognised item: `grams` of `food`, with its nutrients, the assumption and the confidence. */
export function foodItem(text: string, food: Food, grams: number, how: string, confidence: number): Estimated {
  const { nutrients, missing } = nutrientsFor(food, grams);
  return {
    text,
    foodId: food.id,
    name: food.name,
    grams,
    confidence: round(confidence, 2),
    recognized: true,
    assumption: how,
    nutrients,
    missing,
    category: food.category,
  };
}

/** A composite dish is its recipe text estimated part by part, times the quantity. */
function dishItem(
  item: ParsedItem,
  dish: CompositeDish,
  kind: 'exact' | 'partial',
  index: FoodIndex,
  depth: number,
): Estimated {
  const parts = parseMealText(dish.text, index.dishNames).map((p) => estimateItem(p, index, depth + 1));
  const nutrients = zeroNutrients();
  for (const p of parts)
    for (const k of NUTRIENT_KEYS) nutrients[k] = round(nutrients[k] + p.nutrients[k] * item.quantity, digitsFor(k));
  const grams = round(parts.reduce((s, p) => s + p.grams, 0) * item.quantity, 0);
  const known = parts.filter((p) => p.recognized);
  const partCertainty = known.length === 0 ? 0 : known.reduce((s, p) => s + p.confidence, 0) / parts.length;
  const certainty =
    (kind === 'exact' ? MATCH_CERTAINTY.dish : MATCH_CERTAINTY.partial) *
    Math.min(1, partCertainty / MATCH_CERTAINTY.exact);
  return {
    text: item.text,
    foodId: `dish:${dish.name}`,
    name: dish.name,
    grams,
    confidence: round(certainty, 2),
    recognized: known.length > 0,
    assumption: `${fmt(item.quantity)} × ${dish.name} taken as "${dish.text}" = ${grams} g${item.unit ? ` (the ${item.unit} is read as one serving)` : ''}`,
    nutrients,
    missing: [...new Set(parts.flatMap((p) => p.missing))],
    category: 'dishes',
    components: known.map((p) => ({ foodId: p.foodId!, name: p.name!, grams: round(p.grams * item.quantity, 0) })),
  };
}

/**
 * A topping added "with" something and given no amount ("oatmeal with blueberries", "coffee with milk") is taken
 * as a quarter serving; a side ("chicken with rice") or anything with a size or unit counts in full.
 */
const ADD_ON_SHARE = 0.25;
const ADD_ON_CATEGORIES = new Set(['dairy', 'fruit', 'nuts', 'sweets', 'drinks']);

export function estimateItem(parsed: ParsedItem, index: FoodIndex, depth = 0): Estimated {
  let item = parsed;
  const sizeWord = sizeWordOf(parsed);
  // "big mac", "large fries": the size word may be part of the food's name.
  if (sizeWord && index.match(`${sizeWord} ${parsed.name}`)?.kind === 'exact')
    item = { ...parsed, name: `${sizeWord} ${parsed.name}`, size: undefined };
  const food = index.match(item.name);
  // A whole-name dish ("chicken caesar salad") beats a food merely contained in it ("chicken").
  if (depth === 0 && (!food || food.kind === 'partial')) {
    const dish = index.matchDish(item.name);
    if (dish && (dish.kind === 'exact' || !food || dish.label.length > food.label.length))
      return dishItem(item, dish.dish, dish.kind, index, depth);
  }
  if (!food) return unrecognized(item.text);
  const implicit = isImplicit(parsed);
  const per = gramsPerUnit(food.food, item, implicit);
  const topping = ADD_ON_CATEGORIES.has(food.food.category) && !isCondiment(food.food);
  const share = implicit && isAddOn(parsed) && !item.unit && !item.size && topping ? ADD_ON_SHARE : 1;
  const quantity = item.quantity * share;
  const grams = round(per.grams * quantity, 0);
  const confidence = MATCH_CERTAINTY[food.kind] * per.certainty;
  const addOn = share !== 1 ? ' (an add-on: a quarter serving)' : '';
  return foodItem(
    item.text,
    food.food,
    grams,
    `${fmt(quantity)} × ${per.how} ${food.food.name} = ${grams} g${addOn}`,
    confidence,
  );
}

/**
 * The meal's confidence is the mean of item confidences weighted by each item's kcal share, so a wrong guess on
 * a pat of butter matters less than one on the main dish. An unrecognised item has no kcal to weigh; it counts
 * with the average kcal of the recognised items (confidence 0), because it was probably a normal-sized item.
 */
export function mealConfidence(items: readonly EstimatedItem[]): number {
  if (items.length === 0) return 0;
  const known = items.filter((i) => i.recognized);
  const average = known.length === 0 ? 1 : Math.max(1, known.reduce((s, i) => s + i.nutrients.kcal, 0) / known.length);
  // A floor of 1 kcal keeps water and black coffee in the mean.
  const weight = (i: EstimatedItem) => (i.recognized ? Math.max(1, i.nutrients.kcal) : average);
  const total = items.reduce((s, i) => s + weight(i), 0);
  return round(items.reduce((s, i) => s + weight(i) * i.confidence, 0) / total, 2);
}

/** Items (with the nutrients USDA leaves blank) → the meal estimate: warnings, totals and confidence. */
export function summarize(estimated: Estimated[], index: FoodIndex): MealEstimate {
  const warnings: string[] = [];
  const items: EstimatedItem[] = estimated.map(({ missing, ...item }) => {
    if (!item.recognized) warnings.push(`Could not recognise "${item.text}"; it is not included in the totals.`);
    if (missing.length > 0) warnings.push(`USDA has no ${missing.join(', ')} value for ${item.name}; counted as 0.`);
    return item;
  });
  const totals = zeroNutrients();
  for (const item of items)
    for (const k of NUTRIENT_KEYS) totals[k] = round(totals[k] + item.nutrients[k], digitsFor(k));
  return {
    items,
    totals,
    confidence: mealConfidence(items),
    warnings,
    foodTableVersion: index.table.version,
    unrecognized: items.filter((i) => !i.recognized).map((i) => i.text),
  };
}

export function estimateMeal(text: string, index: FoodIndex = new FoodIndex()): MealEstimate {
  return summarize(
    parseMealText(text, index.dishNames).map((p) => estimateItem(p, index)),
    index,
  );
}

/**
 * One label from an image model ("banana", "caesar_salad", "french fries") → an item, matched exactly as meal text
 * is. With `grams` the model's weight is used; without, the food's default serving. The model's confidence
 * multiplies the match confidence.
 */
export function estimateLabel(
  label: string,
  confidence: number,
  grams: number | undefined,
  index: FoodIndex = new FoodIndex(),
): EstimatedItem {
  const { missing: _missing, ...item } = labelItem(label, confidence, grams, index);
  return item;
}

function labelItem(label: string, confidence: number, grams: number | undefined, index: FoodIndex): Estimated {
  const text = label.replace(/_/g, ' ').trim();
  const parsed = parseItem(text);
  const base = estimateItem(parsed, index);
  const modelConfidence = Math.min(1, Math.max(0, confidence));
  if (!base.recognized || grams === undefined || !(grams > 0))
    return { ...base, text: label, confidence: round(base.confidence * modelConfidence, 2) };
  if (base.foodId?.startsWith('dish:')) {
    const scale = base.grams > 0 ? grams / base.grams : 1;
    const nutrients = zeroNutrients();
    for (const k of NUTRIENT_KEYS) nutrients[k] = round(base.nutrients[k] * scale, digitsFor(k));
    return {
      ...base,
      text: label,
      grams: round(grams, 0),
      nutrients,
      confidence: round(base.confidence * modelConfidence, 2),
      assumption: `${base.name} scaled to the model's ${round(grams, 0)} g`,
    };
  }
  const food = index.food(base.foodId!)!;
  const g = round(grams, 0);
  const match = index.match(text);
  return foodItem(
    label,
    food,
    g,
    `model estimate: ${food.name} = ${g} g`,
    MATCH_CERTAINTY[match?.kind ?? 'partial'] * modelConfidence,
  );
}

/** Model labels → a meal estimate, the same shape as for text. */
export function estimateFromLabels(
  labels: ReadonlyArray<{ label: string; confidence: number; grams?: number }>,
  index: FoodIndex = new FoodIndex(),
): MealEstimate {
  return summarize(
    labels.map((l) => labelItem(l.label, l.confidence, l.grams, index)),
    index,
  );
}
