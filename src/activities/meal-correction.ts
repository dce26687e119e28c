import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MealCorrectionRepository, MealCorrectionRow } from '../db/repositories/meal-corrections';
import type { MealRepository } from '../db/repositories/meals';
import { feedbackProfileOf, type ProfileRepository } from '../db/repositories/profiles';
import { evaluateMealFeedback, type MealType } from '../domain/feedback';
import { addDays, mondayOf } from '../domain/insights/time';
import { type CorrectionItem, estimateCorrection } from '../domain/nutrition/correction';
import { FoodIndex } from '../domain/nutrition/food-table';
import type { Nutrients } from '../domain/nutrition/types';
import type { Logger } from '../logger';

export interface MealCorrectionActivityDeps {
  corrections: MealCorrectionRepository;
  meals: MealRepository;
  profiles: ProfileRepository;
  logger: Logger;
  foods?: FoodIndex;
}

interface RevisionRef {
  mealId: string;
  revision: number;
}

/**
 * The weeks whose insight a corrected meal changes, in the person's insight zone (their schedule's, else UTC,
 * as the on-demand and scheduled runs use): the meal's own week, and the next one, whose trends compare against
 * it.
 */
export function weeksTouchedBy(eatenAt: Date, timezone: string): string[] {
  const monday = mondayOf(eatenAt.getTime(), timezone);
  return [monday, addDays(monday, 7)];
}

/** Thin adapters over the pure correction estimate and feedback rules; every write is keyed by (meal, revision). */
export function createMealCorrectionActivities(deps: MealCorrectionActivityDeps) {
  const foods = deps.foods ?? new FoodIndex();
  const log = (ref: RevisionRef) =>
    // ids only: never the items' text
    deps.logger.child({ mealId: ref.mealId, revision: ref.revision, activity: Context.current().info.activityType });

  const load = async (ref: RevisionRef): Promise<MealCorrectionRow> => {
    const row = await deps.corrections.get(ref.mealId, ref.revision);
    if (!row)
      throw ApplicationFailure.nonRetryable(`meal ${ref.mealId} has no revision ${ref.revision}`, 'CorrectionNotFound');
    return row;
  };

  return {
    /** The requested items → an estimate stored on the revision; returns counts only. */
    async estimateMealCorrection(ref: RevisionRef): Promise<{ kcal: number; items: number }> {
      const row = await load(ref);
      const result = estimateCorrection(row.requestedItems as CorrectionItem[], foods);
      if (!result.ok)
        throw ApplicationFailure.nonRetryable(
          `the correction no longer estimates: ${result.problems.map((p) => `${p.path} ${p.code}`).join(', ')}`,
          'InvalidCorrection',
        );
      await deps.corrections.saveEstimate(ref.mealId, ref.revision, result.estimate);
      return { kcal: result.estimate.totals.kcal, items: result.estimate.items.length };
    },

    /** Feedback on the corrected totals, with the same rules, profile and day context as the analysis. */
    async mealCorrectionFeedback(ref: RevisionRef): Promise<{ messages: number }> {
      const row = await load(ref);
      const meal = await deps.meals.get(ref.mealId);
      if (!meal || !row.totals) throw ApplicationFailure.nonRetryable('no meal or estimate', 'CorrectionNotFound');
      const profile = await deps.profiles.get(meal.userId);
      // The person's day in UTC, as the analysis's feedback step reads it (profiles carry no zone for days yet).
      const e = meal.eatenAt;
      const dayStart = new Date(Date.UTC(e.getUTCFullYear(), e.getUTCMonth(), e.getUTCDate()));
      const before = await deps.meals.totalsBetween(meal.userId, dayStart, e, ref.mealId);
      const { personal: userProfile, guidelineProfileId } = feedbackProfileOf(profile);
      const items = (row.items as { recognized: boolean }[] | null) ?? [];
      const result = evaluateMealFeedback({
        totals: row.totals as Nutrients,
        mealType: meal.mealType as MealType,
        guidelineProfileId,
        userProfile,
        dayTotalsBefore: Object.keys(before).length ? (before as unknown as Nutrients) : undefined,
        itemsUnrecognized: items.filter((i) => !i.recognized).length,
        confidence: row.confidence ?? 1,
      });
      if (result.needsReview)
        log(ref).warn(
          { reasons: result.reviewReasons },
          'corrected meal flagged for human review (very low intake pattern)',
        );
      await deps.corrections.saveFeedback(ref.mealId, ref.revision, result.messages, [result.disclaimer]);
      return { messages: result.messages.length };
    },

    /** Keeps the replaced analysis, writes the corrected one and marks the touched weeks' insights stale, at once. */
    async applyMealCorrection(
      ref: RevisionRef & { warnings: string[] },
    ): Promise<{ applied: boolean; staleWeeks: string[] }> {
      const row = await load(ref);
      const meal = await deps.meals.get(ref.mealId);
      if (!meal) throw ApplicationFailure.nonRetryable(`meal ${ref.mealId} does not exist`, 'CorrectionNotFound');
      const timezone = (await deps.profiles.get(meal.userId))?.timezone ?? 'UTC';
      const weekStarts = weeksTouchedBy(meal.eatenAt, timezone);
      const applied = await deps.corrections.apply(ref.mealId, ref.revision, ref.warnings, {
        userId: row.userId,
        weekStarts,
      });
      log(ref).info(
        { applied, staleWeeks: weekStarts },
        applied ? 'meal correction applied' : 'meal correction was already applied',
      );
      return { applied, staleWeeks: weekStarts };
    },

    async failMealCorrection(ref: RevisionRef & { reason: string }): Promise<void> {
      await deps.corrections.fail(ref.mealId, ref.revision, ref.reason);
      log(ref).warn('meal correction failed');
    },
  };
}

export type MealCorrectionActivities = ReturnType<typeof createMealCorrectionActivities>;
