import { dailyTargets, type MealType } from '../../src/domain/feedback';
import type { MealForInsight, MealItemForInsight, WeeklyInsightInput } from '../../src/domain/insights';
import { NUTRIENT_KEYS, type Nutrients } from '../../src/domain/nutrition/types';
import { n } from './nutrients';

// Meals, foods and one fixed week (Europe/Berlin, the week summer time starts) for the weekly insight tests.

export const item = (
  name: string | null,
  grams: number,
  nut: Partial<Nutrients>,
  category?: string,
): MealItemForInsight => ({
  name,
  grams,
  nutrients: n(nut),
  ...(category ? { category } : {}),
});
export const sum = (list: Nutrients[]): Nutrients => {
  const out = n();
  for (const x of list) for (const k of NUTRIENT_KEYS) out[k] += x[k];
  return out;
};
export const meal = (
  mealId: string,
  eatenAt: string,
  mealType: MealType,
  items: MealItemForInsight[],
): MealForInsight => ({
  mealId,
  eatenAt,
  mealType,
  items,
  totals: sum(items.map((i) => i.nutrients)),
});

export const targets = dailyTargets(undefined, 'who');
export const TZ = 'Europe/Berlin';
// 2026-03-23 is a Monday; Berlin moves to summer time on Sunday 2026-03-29 (CET +01:00 → CEST +02:00).
const WEEK = '2026-03-23';
export const input = (meals: MealForInsight[], over: Partial<WeeklyInsightInput> = {}): WeeklyInsightInput => ({
  weekStart: WEEK,
  timezone: TZ,
  meals,
  targets,
  guidelineProfileId: 'who',
  ...over,
});

export const oats = (g = 60) =>
  item(
    'Oats',
    g,
    {
      kcal: 2.3 * g,
      protein_g: 0.13 * g,
      fat_g: 0.065 * g,
      satfat_g: 0.012 * g,
      carb_g: 0.66 * g,
      fiber_g: 0.1 * g,
      sugar_g: 0.01 * g,
      sodium_mg: 0.02 * g,
    },
    'cereals',
  );
export const banana = () =>
  item(
    'Banana',
    118,
    {
      kcal: 105.02,
      protein_g: 1.29,
      fat_g: 0.39,
      satfat_g: 0.13,
      carb_g: 26.95,
      fiber_g: 3.07,
      sugar_g: 14.43,
      sodium_mg: 1.18,
    },
    'fruit',
  );
const salad = (g = 150) =>
  item(
    'Green salad',
    g,
    {
      kcal: 0.2 * g,
      protein_g: 0.013 * g,
      fat_g: 0.002 * g,
      carb_g: 0.03 * g,
      fiber_g: 0.02 * g,
      sugar_g: 0.01 * g,
      sodium_mg: 0.3 * g,
    },
    'vegetables',
  );
export const pizza = () =>
  item(
    'Pepperoni pizza',
    300,
    {
      kcal: 840.3,
      protein_g: 36.1,
      fat_g: 37.7,
      satfat_g: 14.9,
      carb_g: 87.3,
      fiber_g: 6.1,
      sugar_g: 10.2,
      sodium_mg: 1870.7,
    },
    'fast food',
  );
export const soup = () =>
  item(
    'Tomato soup',
    250,
    {
      kcal: 75.5,
      protein_g: 2.1,
      fat_g: 1.3,
      satfat_g: 0.3,
      carb_g: 14.9,
      fiber_g: 1.7,
      sugar_g: 9.9,
      sodium_mg: 1012.4,
    },
    'soups',
  );
export const bread = (name = 'Bread') =>
  item(
    name,
    60,
    {
      kcal: 159.6,
      protein_g: 5.4,
      fat_g: 2,
      satfat_g: 0.4,
      carb_g: 29.4,
      fiber_g: 1.6,
      sugar_g: 3.4,
      sodium_mg: 294.3,
    },
    'breads',
  );
export const cola = () =>
  item('Cola <&> "zero"', 330, { kcal: 138.6, carb_g: 35.1, sugar_g: 35.1, sodium_mg: 13.2 }, 'drinks');

// Mon, Tue, Wed, Fri, Sat logged; Thu and Sun empty. Times are UTC; Berlin is +01:00 this week until Sunday.
export const fixture = (): { meals: MealForInsight[]; byDate: Record<string, string[]> } => {
  const meals = [
    meal('m1', '2026-03-23T06:30:00Z', 'breakfast', [oats(), banana()]),
    meal('m2', '2026-03-23T11:45:00Z', 'lunch', [soup(), bread()]),
    meal('m3', '2026-03-23T18:10:00Z', 'dinner', [pizza(), salad()]),
    meal('m4', '2026-03-24T07:00:00Z', 'breakfast', [oats(80)]),
    meal('m5', '2026-03-24T17:30:00Z', 'dinner', [pizza(), cola()]),
    meal('m6', '2026-03-25T12:00:00Z', 'lunch', [salad(300), bread('bread'), banana()]),
    meal('m7', '2026-03-27T19:00:00Z', 'dinner', [soup(), bread()]),
    meal('m8', '2026-03-28T08:00:00Z', 'snack', [banana(), item(null, 40, { kcal: 0 })]),
    meal('m9', '2026-03-28T18:00:00Z', 'dinner', [pizza(), salad(200), bread()]),
  ];
  return {
    meals,
    byDate: {
      '2026-03-23': ['m1', 'm2', 'm3'],
      '2026-03-24': ['m4', 'm5'],
      '2026-03-25': ['m6'],
      '2026-03-27': ['m7'],
      '2026-03-28': ['m8', 'm9'],
    },
  };
};
