import { MEAL_TYPES, type MealType } from '../feedback/types';
import { NUTRIENT_KEYS, type Nutrients, zeroNutrients } from '../nutrition/types';
import { DAY_LABELS, localDate, parseInstant } from './time';
import type {
  Contributor,
  ContributorKey,
  DayInsight,
  MealForInsight,
  ProteinByMealType,
  TargetComparison,
  TargetKey,
  WeeklyInsightInput,
} from './types';

/**
 * The building blocks of a weekly insight: meals placed on local days, per-day and per-week sums, averages,
 * target comparisons, protein spread, top contributors, streak and week-on-week trends.
 */

export const FRUIT_VEG_CATEGORIES: readonly string[] = ['fruit', 'vegetables'];
export const CONTRIBUTOR_KEYS: readonly ContributorKey[] = ['sodium_mg', 'satfat_g', 'sugar_g', 'kcal'];
export const UNRECOGNISED_NAME = 'unrecognised item';

export function addInto(acc: Nutrients, n: Nutrients): void {
  for (const k of NUTRIENT_KEYS) acc[k] += n[k];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** kcal and mg to whole numbers, grams to 0.1 (display only; computations use the exact values). */
export function roundForDisplay(n: Nutrients): Nutrients {
  const out = zeroNutrients();
  for (const k of NUTRIENT_KEYS) out[k] = k === 'kcal' || k === 'sodium_mg' ? Math.round(n[k]) : round1(n[k]);
  return out;
}

export interface PlacedMeal {
  meal: MealForInsight;
  ms: number;
  date: string;
}

/** Meals with their instant and local date, in eatenAt order (ties by mealId) so sums are reproducible. */
export function place(meals: MealForInsight[], timezone: string): PlacedMeal[] {
  return meals
    .map((meal) => {
      const ms = parseInstant(meal.eatenAt) as number;
      return { meal, ms, date: localDate(ms, timezone) };
    })
    .sort((a, b) => a.ms - b.ms || (a.meal.mealId < b.meal.mealId ? -1 : a.meal.mealId > b.meal.mealId ? 1 : 0));
}

const isFruitVeg = (category: string | undefined) =>
  category !== undefined && FRUIT_VEG_CATEGORIES.includes(category.trim().toLowerCase());

export function buildDays(placed: PlacedMeal[], dates: string[]): DayInsight[] {
  return dates.map((date, i) => {
    const mine = placed.filter((p) => p.date === date);
    const totals = zeroNutrients();
    let fruitVegG = 0;
    for (const p of mine) {
      addInto(totals, p.meal.totals);
      for (const it of p.meal.items) if (isFruitVeg(it.category)) fruitVegG += it.grams;
    }
    return {
      date,
      label: DAY_LABELS[i] as DayInsight['label'],
      mealCount: mine.length,
      totals,
      display: roundForDisplay(totals),
      fruitVegG,
    };
  });
}

/** Average per logged day, or null when no day was logged. */
export function averages(days: DayInsight[]): Nutrients | null {
  const logged = days.filter((d) => d.mealCount > 0);
  if (logged.length === 0) return null;
  const sum = zeroNutrients();
  for (const d of logged) addInto(sum, d.totals);
  for (const k of NUTRIENT_KEYS) sum[k] /= logged.length;
  return sum;
}

export function compareTargets(avg: Nutrients, t: WeeklyInsightInput['targets']): Record<TargetKey, TargetComparison> {
  const c = (average: number, target: number, kind: TargetComparison['kind'], source: string): TargetComparison => ({
    average,
    target,
    kind,
    percentOfTarget: target > 0 ? Math.round((average / target) * 100) : 0,
    source,
  });
  return {
    kcal: c(avg.kcal, t.kcal, 'estimate', t.sources.kcal),
    protein_g: c(avg.protein_g, t.protein_g, 'min', t.sources.protein_g),
    satfat_g: c(avg.satfat_g, t.satfat_max_g, 'max', t.sources.satfat_max_g),
    sugar_g: c(avg.sugar_g, t.sugar_max_g, 'max', t.sources.sugar_max_g),
    fiber_g: c(avg.fiber_g, t.fiber_min_g, 'min', t.sources.fiber_min_g),
    sodium_mg: c(avg.sodium_mg, t.sodium_max_mg, 'max', t.sources.sodium_max_mg),
  };
}

export function proteinSpread(placed: PlacedMeal[], weekProtein: number): ProteinByMealType[] {
  const out: ProteinByMealType[] = [];
  for (const mealType of MEAL_TYPES) {
    const mine = placed.filter((p) => p.meal.mealType === mealType);
    if (mine.length === 0) continue;
    const protein_g = mine.reduce((s, p) => s + p.meal.totals.protein_g, 0);
    out.push({
      mealType: mealType as MealType,
      mealCount: mine.length,
      protein_g,
      sharePct: weekProtein > 0 ? Math.round((protein_g / weekProtein) * 100) : 0,
    });
  }
  return out;
}

/** Items grouped by case-folded name; share is of the week's total from meal totals. Ties: larger first, then name. */
export function topContributors(
  placed: PlacedMeal[],
  weekTotals: Nutrients,
  topN: number,
): Record<ContributorKey, Contributor[]> {
  const result = {} as Record<ContributorKey, Contributor[]>;
  for (const key of CONTRIBUTOR_KEYS) {
    const groups = new Map<string, { name: string; amount: number }>();
    for (const p of placed) {
      for (const it of p.meal.items) {
        const name = it.name?.trim() || UNRECOGNISED_NAME;
        const id = name.toLowerCase();
        const g = groups.get(id) ?? { name, amount: 0 };
        g.amount += it.nutrients[key];
        groups.set(id, g);
      }
    }
    const total = weekTotals[key];
    result[key] =
      total <= 0
        ? []
        : [...groups.entries()]
            .filter(([, g]) => g.amount > 0)
            .sort(([ia, a], [ib, b]) => b.amount - a.amount || (ia < ib ? -1 : ia > ib ? 1 : 0))
            .slice(0, topN)
            .map(([, g]) => ({ name: g.name, amount: g.amount, sharePct: round1((g.amount / total) * 100) }));
  }
  return result;
}

/** Consecutive logged days ending at the week's last logged day (within the week). */
export function streak(days: DayInsight[]): { days: number; endsOn: string | null } {
  let last = -1;
  for (let i = days.length - 1; i >= 0; i--)
    if ((days[i]?.mealCount ?? 0) > 0) {
      last = i;
      break;
    }
  if (last < 0) return { days: 0, endsOn: null };
  let n = 0;
  for (let i = last; i >= 0 && (days[i]?.mealCount ?? 0) > 0; i--) n++;
  return { days: n, endsOn: days[last]?.date ?? null };
}

export function trends(
  current: Nutrients | null,
  previous: Nutrients | null,
): Record<keyof Nutrients, number | null> | null {
  if (!current || !previous) return null;
  const out = {} as Record<keyof Nutrients, number | null>;
  for (const k of NUTRIENT_KEYS)
    out[k] = previous[k] > 0 ? round1(((current[k] - previous[k]) / previous[k]) * 100) : null;
  return out;
}
