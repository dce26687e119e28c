import { zeroNutrients } from '../nutrition/types';
import {
  addInto,
  averages,
  buildDays,
  compareTargets,
  place,
  proteinSpread,
  streak,
  topContributors,
  trends,
} from './aggregate';
import { buildMessages, FRUIT_VEG_SOURCE, FRUIT_VEG_TARGET_G } from './messages';
import { addDays, weekDates } from './time';
import { InsightInputError, type WeeklyInsight, type WeeklyInsightInput } from './types';
import { validateWeeklyInsightInput } from './validate';

/** Bumped whenever a rule, a number or the output shape changes, so stored insights can be traced. */
export const INSIGHTS_ENGINE_VERSION = 'weekly-insights-1';

/** Days with at least this many meals and energy under the floor count toward a very low intake pattern. */
export const LOW_INTAKE_MIN_MEALS = 2;
/** This many such days in a week route the insight to a person and withhold "limit" advice. */
export const LOW_INTAKE_REVIEW_DAYS = 3;

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
