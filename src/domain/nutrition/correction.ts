import { estimateMeal, type Estimated, foodItem, summarize } from './estimate';
import type { FoodIndex } from './food-table';
import { gramsPerUnit } from './portions';
import { UNITS } from './quantity-words';
import type { MealEstimate } from './types';

/**
 * A person's correction of a meal's items (PATCH /v1/meals/{id}/items): each item is either a line of meal text
 * ("4 eggs"), read exactly as a meal description is, or a food from the table with an amount and a unit. The
 * list replaces the meal's items, so one request changes a food, an amount, removes or adds an item.
 */
export type CorrectionItem = { description: string } | { foodId: string; amount: number; unit: string };

/** A meal rarely has more than a dozen items; 50 leaves room and keeps one estimate a few milliseconds. */
export const MAX_CORRECTION_ITEMS = 50;
/** Longest line of text per item: one item, not a whole meal diary. */
export const MAX_CORRECTION_DESCRIPTION = 500;
/** Largest amount in any unit: 10 kg of anything in one meal is a typo, not a meal. */
export const MAX_CORRECTION_GRAMS = 10_000;

/** The problems of one request, each with the path of the item it is about (as the API's error envelope lists). */
export interface CorrectionProblem {
  path: string;
  code: 'unknown_food' | 'unknown_unit' | 'unrecognized_item' | 'amount_too_large';
  message: string;
}

/** Canonical unit for any spelling the meal parser reads ("grams" → g, "tablespoons" → tbsp); undefined if none. */
export function canonicalUnit(unit: string): string | undefined {
  return UNITS[unit.trim().toLowerCase().replace(/\s+/g, ' ')];
}

export const CORRECTION_UNITS: readonly string[] = [...new Set(Object.values(UNITS))];

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** One requested item → estimated items (a line of text may name several foods: "toast and butter"). */
function estimateOne(item: CorrectionItem, index: FoodIndex): Estimated[] | CorrectionProblem {
  if ('description' in item) {
    const estimate = estimateMeal(item.description, index);
    const unknown = estimate.items.find((i) => !i.recognized);
    if (estimate.items.length === 0 || unknown)
      return {
        path: 'description',
        code: 'unrecognized_item',
        message: `"${unknown?.text ?? item.description}" matches no food; pick one with GET /v1/foods?q=`,
      };
    // summarize() dropped the per-item `missing` list; the totals' warnings are rebuilt from the food table below.
    return estimate.items.map((i) => ({ ...i, missing: missingOf(i.foodId, index) }));
  }
  const food = index.food(item.foodId);
  if (!food) return { path: 'foodId', code: 'unknown_food', message: `no food has id ${item.foodId}` };
  const unit = canonicalUnit(item.unit);
  if (!unit)
    return { path: 'unit', code: 'unknown_unit', message: `unknown unit; use one of ${CORRECTION_UNITS.join(', ')}` };
  const text = `${fmt(item.amount)} ${unit} ${food.name}`;
  const per = gramsPerUnit(food, { text, quantity: item.amount, unit, name: food.name });
  const grams = Math.round(per.grams * item.amount);
  if (grams > MAX_CORRECTION_GRAMS)
    return {
      path: 'amount',
      code: 'amount_too_large',
      message: `${text} is ${grams} g; at most ${MAX_CORRECTION_GRAMS} g`,
    };
  // The person chose the food, so the match is certain; only a generic unit size (a "bowl") stays uncertain.
  return [
    foodItem(
      text,
      food,
      grams,
      `${fmt(item.amount)} × ${per.how} ${food.name} = ${grams} g (corrected)`,
      per.certainty,
    ),
  ];
}

function missingOf(foodId: string | null, index: FoodIndex): string[] {
  const food = foodId ? index.food(foodId) : undefined;
  return food ? Object.entries(food.per100g).flatMap(([k, v]) => (v === null ? [k] : [])) : [];
}

/**
 * The corrected meal: every item estimated, or the problems that make the request invalid (then nothing is stored).
 * Pure and deterministic: the API runs it to refuse bad input with a 422 before anything changes, and the
 * correction run runs it again to store the result.
 */
export function estimateCorrection(
  items: readonly CorrectionItem[],
  index: FoodIndex,
): { ok: true; estimate: MealEstimate } | { ok: false; problems: CorrectionProblem[] } {
  const problems: CorrectionProblem[] = [];
  const estimated: Estimated[] = [];
  items.forEach((item, i) => {
    const out = estimateOne(item, index);
    if (Array.isArray(out)) estimated.push(...out);
    else problems.push({ ...out, path: `items.${i}.${out.path}` });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, estimate: summarize(estimated, index) };
}
