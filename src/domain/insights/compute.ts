import { MEAL_TYPES, type MealType } from '../feedback/types';
import { NUTRIENT_KEYS, type Nutrients, zeroNutrients } from '../nutrition/types';
import { buildMessages, FRUIT_VEG_SOURCE, FRUIT_VEG_TARGET_G } from './messages';
import {
  addDays,
  DAY_LABELS,
  isIsoDate,
  isoWeekday,
  isValidTimeZone,
  localDate,
  parseInstant,
  weekDates,
} from './time';
import {
  type Contributor,
  type ContributorKey,
  type DayInsight,
  type InsightIssue,
  InsightInputError,
  type MealForInsight,
  type ProteinByMealType,
  type TargetComparison,
  type TargetKey,
  type WeeklyInsight,
  type WeeklyInsightInput,
} from './types';

/** Bumped whenever a rule, a number or the output shape changes, so stored insights can be traced. */
export const INSIGHTS_ENGINE_VERSION = 'weekly-insights-1';

export const FRUIT_VEG_CATEGORIES: readonly string[] = ['fruit', 'vegetables'];
export const CONTRIBUTOR_KEYS: readonly ContributorKey[] = ['sodium_mg', 'satfat_g', 'sugar_g', 'kcal'];
/** Days with at least this many meals and energy under the floor count toward a very low intake pattern. */
export const LOW_INTAKE_MIN_MEALS = 2;
/** This many such days in a week route the insight to a person and withhold "limit" advice. */
export const LOW_INTAKE_REVIEW_DAYS = 3;
export const UNRECOGNISED_NAME = 'unrecognised item';

function addInto(acc: Nutrients, n: Nutrients): void {
  for (const k of NUTRIENT_KEYS) acc[k] += n[k];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** kcal and mg to whole numbers, grams to 0.1 (display only; computations use the exact values). */
export function roundForDisplay(n: Nutrients): Nutrients {
  const out = zeroNutrients();
  for (const k of NUTRIENT_KEYS) out[k] = k === 'kcal' || k === 'sodium_mg' ? Math.round(n[k]) : round1(n[k]);
  return out;
}

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

interface PlacedMeal {
  meal: MealForInsight;
  ms: number;
  date: string;
}

/** Meals with their instant and local date, in eatenAt order (ties by mealId) so sums are reproducible. */
function place(meals: MealForInsight[], timezone: string): PlacedMeal[] {
  return meals
    .map((meal) => {
      const ms = parseInstant(meal.eatenAt) as number;
      return { meal, ms, date: localDate(ms, timezone) };
    })
    .sort((a, b) => a.ms - b.ms || (a.meal.mealId < b.meal.mealId ? -1 : a.meal.mealId > b.meal.mealId ? 1 : 0));
}

const isFruitVeg = (category: string | undefined) =>
  category !== undefined && FRUIT_VEG_CATEGORIES.includes(category.trim().toLowerCase());

function buildDays(placed: PlacedMeal[], dates: string[]): DayInsight[] {
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
function averages(days: DayInsight[]): Nutrients | null {
  const logged = days.filter((d) => d.mealCount > 0);
  if (logged.length === 0) return null;
  const sum = zeroNutrients();
  for (const d of logged) addInto(sum, d.totals);
  for (const k of NUTRIENT_KEYS) sum[k] /= logged.length;
  return sum;
}

function compareTargets(avg: Nutrients, t: WeeklyInsightInput['targets']): Record<TargetKey, TargetComparison> {
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

function proteinSpread(placed: PlacedMeal[], weekProtein: number): ProteinByMealType[] {
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
function topContributors(
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
function streak(days: DayInsight[]): { days: number; endsOn: string | null } {
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

function trends(current: Nutrients | null, previous: Nutrients | null): Record<keyof Nutrients, number | null> | null {
  if (!current || !previous) return null;
  const out = {} as Record<keyof Nutrients, number | null>;
  for (const k of NUTRIENT_KEYS)
    out[k] = previous[k] > 0 ? round1(((current[k] - previous[k]) / previous[k]) * 100) : null;
  return out;
}

/**
 * A week of meals summarised against daily targets. Pure: day assignment uses the person's time zone through
 * Intl, and nothing reads the clock. Throws InsightInputError listing every problem with the input.
 */
export function computeWeeklyInsight(input: WeeklyInsightInput): WeeklyInsight {
  const issues = validateWeeklyInsightInput(input);
  if (issues.length > 0) throw new InsightInputError(issues);
  const { weekStart, timezone, targets } = input;
  const dates = weekDates(weekStart);
  const inWeek = new Set(dates);

  const placedAll = place(input.meals, timezone);
  const placed = placedAll.filter((p) => inWeek.has(p.date));
  const days = buildDays(placed, dates);
  const weekTotals = zeroNutrients();
  for (const d of days) addInto(weekTotals, d.totals);
  const dailyAverages = averages(days);
  const logged = days.filter((d) => d.mealCount > 0);

  let trend: WeeklyInsight['trends'] = null;
  if (input.previousWeekMeals !== undefined) {
    const prevDates = weekDates(addDays(weekStart, -7));
    const prevSet = new Set(prevDates);
    const prevPlaced = place(input.previousWeekMeals, timezone).filter((p) => prevSet.has(p.date));
    trend = trends(dailyAverages, averages(buildDays(prevPlaced, prevDates)));
  }

  const perDayG = days.map((d) => d.fruitVegG);
  const lowIntakeDays = logged.filter(
    (d) => d.mealCount >= LOW_INTAKE_MIN_MEALS && d.totals.kcal < targets.energyFloorKcal,
  ).length;

  const insight: WeeklyInsight = {
    weekStart,
    weekEnd: dates[6] as string,
    timezone,
    guidelineProfileId: input.guidelineProfileId,
    engineVersion: INSIGHTS_ENGINE_VERSION,
    days,
    mealCount: placed.length,
    loggedDays: logged.length,
    mealsOutsideWeek: placedAll.length - placed.length,
    weekTotals,
    dailyAverages,
    vsTargets: dailyAverages ? compareTargets(dailyAverages, targets) : null,
    daysOver: {
      sodium_mg: logged.filter((d) => d.totals.sodium_mg > targets.sodium_max_mg).length,
      satfat_g: logged.filter((d) => d.totals.satfat_g > targets.satfat_max_g).length,
      sugar_g: logged.filter((d) => d.totals.sugar_g > targets.sugar_max_g).length,
    },
    fiberAdequateDays: logged.filter((d) => d.totals.fiber_g >= targets.fiber_min_g).length,
    fruitVeg: {
      targetG: FRUIT_VEG_TARGET_G,
      source: FRUIT_VEG_SOURCE,
      perDayG,
      averageG: logged.length > 0 ? logged.reduce((s, d) => s + d.fruitVegG, 0) / logged.length : null,
      daysMet: logged.filter((d) => d.fruitVegG >= FRUIT_VEG_TARGET_G).length,
    },
    proteinByMealType: proteinSpread(placed, weekTotals.protein_g),
    trends: trend,
    topContributors: topContributors(placed, weekTotals, input.topN ?? 3),
    streak: streak(days),
    lowIntakeDays,
    needsReview: lowIntakeDays >= LOW_INTAKE_REVIEW_DAYS,
    messages: [],
  };
  insight.messages = buildMessages(insight, targets);
  return insight;
}
