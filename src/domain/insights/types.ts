import type { GuidelineProfileId, DailyTargets, MealType, Severity } from '../feedback/types';
import type { Nutrients } from '../nutrition/types';

/**
 * Types of the weekly insights engine. Plain data only: the same input always gives the same output (no clock,
 * no randomness, no I/O), so a stored insight can be recomputed and compared.
 */

export interface MealItemForInsight {
  /** Null for an item that matched no food; it is reported as "unrecognised item". */
  name: string | null;
  grams: number;
  category?: string;
  nutrients: Nutrients;
}

export interface MealForInsight {
  mealId: string;
  /** ISO 8601 instant with an offset or Z, e.g. "2026-03-29T23:30:00Z". */
  eatenAt: string;
  mealType: MealType;
  totals: Nutrients;
  items: MealItemForInsight[];
}

export interface WeeklyInsightInput {
  /** YYYY-MM-DD, a Monday, as a calendar date in the person's time zone. */
  weekStart: string;
  /** IANA zone, e.g. "Europe/Berlin". */
  timezone: string;
  meals: MealForInsight[];
  /** Meals of the 7 days before weekStart; without them, trends are null. */
  previousWeekMeals?: MealForInsight[];
  targets: DailyTargets;
  guidelineProfileId: GuidelineProfileId;
  /** How many top contributors per nutrient (default 3). */
  topN?: number;
}

export type DayLabel = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

export interface DayInsight {
  date: string;
  label: DayLabel;
  mealCount: number;
  /** Exact (unrounded) sums of the day's meal totals, in eatenAt order. */
  totals: Nutrients;
  /** The same numbers rounded for display: kcal and mg whole, grams to 0.1. */
  display: Nutrients;
  /** Grams of items in the 'fruit' or 'vegetables' categories. */
  fruitVegG: number;
}

export type TargetKind = 'estimate' | 'min' | 'max';

export interface TargetComparison {
  /** Average per logged day (exact). */
  average: number;
  target: number;
  kind: TargetKind;
  /** average / target x 100, rounded to whole percent. */
  percentOfTarget: number;
  source: string;
}

export type TargetKey = 'kcal' | 'protein_g' | 'satfat_g' | 'sugar_g' | 'fiber_g' | 'sodium_mg';

export interface ProteinByMealType {
  mealType: MealType;
  mealCount: number;
  protein_g: number;
  /** Share of the week's protein, 0..100 rounded to whole percent (0 when there is no protein). */
  sharePct: number;
}

export interface Contributor {
  name: string;
  amount: number;
  /** Share of the week's total of that nutrient, 0..100 rounded to 0.1. */
  sharePct: number;
}

export type ContributorKey = 'sodium_mg' | 'satfat_g' | 'sugar_g' | 'kcal';

export interface InsightMessage {
  code: string;
  severity: Severity;
  message: string;
  source: string;
  caveat?: string;
}

export interface WeeklyInsight {
  weekStart: string;
  weekEnd: string;
  timezone: string;
  guidelineProfileId: GuidelineProfileId;
  engineVersion: string;
  days: DayInsight[];
  mealCount: number;
  loggedDays: number;
  /** Meals in `meals` whose local date falls outside the week (not counted anywhere). */
  mealsOutsideWeek: number;
  weekTotals: Nutrients;
  /** Averages over logged days only; null when nothing was logged. */
  dailyAverages: Nutrients | null;
  /** Null when nothing was logged. */
  vsTargets: Record<TargetKey, TargetComparison> | null;
  /** Logged days whose total was above the daily maximum. */
  daysOver: { sodium_mg: number; satfat_g: number; sugar_g: number };
  /** Logged days with at least the fibre minimum. */
  fiberAdequateDays: number;
  fruitVeg: { targetG: number; source: string; perDayG: number[]; averageG: number | null; daysMet: number };
  proteinByMealType: ProteinByMealType[];
  /** Percent change of the per-logged-day average vs the previous week; null without data on either side. */
  trends: Record<keyof Nutrients, number | null> | null;
  topContributors: Record<ContributorKey, Contributor[]>;
  streak: { days: number; endsOn: string | null };
  /** Logged days with 2+ meals and energy under the floor: 3 or more route the week to a person. */
  lowIntakeDays: number;
  needsReview: boolean;
  messages: InsightMessage[];
}

export interface InsightIssue {
  field: string;
  message: string;
}

export class InsightInputError extends Error {
  override readonly name = 'InsightInputError';
  readonly code = 'invalid_insight_input';
  constructor(readonly issues: InsightIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}
