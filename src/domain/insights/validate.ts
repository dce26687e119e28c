import { MEAL_TYPES } from '../feedback/types';
import { NUTRIENT_KEYS } from '../nutrition/types';
import { isIsoDate, isoWeekday, isValidTimeZone, parseInstant } from './time';
import type { InsightIssue, MealForInsight, WeeklyInsightInput } from './types';

function validateMeals(meals: unknown, field: string, issues: InsightIssue[]): void {
  if (!Array.isArray(meals)) {
    issues.push({ field, message: 'must be an array' });
    return;
  }
  const seen = new Set<string>();
  meals.forEach((m: MealForInsight, i) => {
    const f = `${field}[${i}]`;
    if (typeof m?.mealId !== 'string' || m.mealId === '')
      issues.push({ field: `${f}.mealId`, message: 'must be a non-empty string' });
    else if (seen.has(m.mealId)) issues.push({ field: `${f}.mealId`, message: `duplicate meal id ${m.mealId}` });
    else seen.add(m.mealId);
    if (typeof m?.eatenAt !== 'string' || parseInstant(m.eatenAt) === null) {
      issues.push({ field: `${f}.eatenAt`, message: 'must be an ISO 8601 instant with Z or an offset' });
    }
    if (!MEAL_TYPES.includes(m?.mealType))
      issues.push({ field: `${f}.mealType`, message: `must be one of ${MEAL_TYPES.join(', ')}` });
    const nutrientsOk = (n: unknown) =>
      n !== null &&
      typeof n === 'object' &&
      NUTRIENT_KEYS.every((k) => {
        const v = (n as Record<string, unknown>)[k];
        return typeof v === 'number' && Number.isFinite(v) && v >= 0;
      });
    if (!nutrientsOk(m?.totals))
      issues.push({ field: `${f}.totals`, message: 'every nutrient must be a finite number >= 0' });
    if (!Array.isArray(m?.items)) issues.push({ field: `${f}.items`, message: 'must be an array' });
    else {
      m.items.forEach((it, j) => {
        if (!nutrientsOk(it?.nutrients))
          issues.push({ field: `${f}.items[${j}].nutrients`, message: 'every nutrient must be a finite number >= 0' });
        if (typeof it?.grams !== 'number' || !Number.isFinite(it.grams) || it.grams < 0)
          issues.push({ field: `${f}.items[${j}].grams`, message: 'must be a finite number >= 0' });
      });
    }
  });
}

/** Every problem with the input (empty when valid). */
export function validateWeeklyInsightInput(input: WeeklyInsightInput): InsightIssue[] {
  const issues: InsightIssue[] = [];
  if (typeof input.weekStart !== 'string' || !isIsoDate(input.weekStart))
    issues.push({ field: 'weekStart', message: 'must be a date written YYYY-MM-DD' });
  else if (isoWeekday(input.weekStart) !== 0)
    issues.push({ field: 'weekStart', message: `must be a Monday (got ${input.weekStart})` });
  if (typeof input.timezone !== 'string' || !isValidTimeZone(input.timezone))
    issues.push({ field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' });
  validateMeals(input.meals, 'meals', issues);
  if (input.previousWeekMeals !== undefined) validateMeals(input.previousWeekMeals, 'previousWeekMeals', issues);
  if (input.topN !== undefined && (!Number.isInteger(input.topN) || input.topN < 1))
    issues.push({ field: 'topN', message: 'must be a positive integer' });
  return issues;
}
