import { ApplicationFailure } from '@temporalio/activity';
import type { InsightRepository } from '../db/repositories/insights';
import { feedbackProfileOf, type ProfileRepository } from '../db/repositories/profiles';
import { DEFAULT_PROFILE_ID, dailyTargets, type MealType } from '../domain/feedback';
import { computeWeeklyInsight, InsightInputError, type MealForInsight } from '../domain/insights';
import { addDays } from '../domain/insights/time';
import type { Nutrients } from '../domain/nutrition/types';
import type { Logger } from '../logger';

export interface InsightActivityDeps {
  insights: InsightRepository;
  profiles: ProfileRepository;
  logger: Logger;
}

// Any time zone is within ±14 h of UTC: loading one extra day on each side covers every local week.
const DAY_MS = 86_400_000;

export function createInsightActivities(deps: InsightActivityDeps) {
  const load = async (userId: string, firstDay: string, days: number): Promise<MealForInsight[]> => {
    const from = new Date(Date.parse(`${firstDay}T00:00:00Z`) - DAY_MS);
    const to = new Date(Date.parse(`${firstDay}T00:00:00Z`) + (days + 1) * DAY_MS);
    const rows = await deps.insights.analysedMeals(userId, from, to);
    return rows.map((r) => ({
      mealId: r.id,
      eatenAt: r.eatenAt.toISOString(),
      mealType: r.mealType as MealType,
      totals: r.totals as Nutrients,
      items: ((r.items as { name: string | null; grams: number; category?: string; nutrients: Nutrients }[]) ?? []).map((i) => ({ name: i.name, grams: i.grams, ...(i.category ? { category: i.category } : {}), nutrients: i.nutrients })),
    }));
  };

  return {
    /**
     * Loads the person's analysed meals of the week (and the week before, for trends), computes the insight
     * with the pure engine and stores it per (person, week). Idempotent: rerunning replaces the same row.
     */
    async computeWeeklyInsightFor(input: { userId: string; weekStart: string; timezone: string }): Promise<{ insightId: string; meals: number }> {
      const { personal, guidelineProfileId = DEFAULT_PROFILE_ID } = feedbackProfileOf(await deps.profiles.get(input.userId));
      const previousStart = addDays(input.weekStart, -7);
      const [meals, previousWeekMeals] = await Promise.all([load(input.userId, input.weekStart, 7), load(input.userId, previousStart, 7)]);
      let insight;
      try {
        insight = computeWeeklyInsight({ weekStart: input.weekStart, timezone: input.timezone, meals, previousWeekMeals, targets: dailyTargets(personal, guidelineProfileId), guidelineProfileId });
      } catch (err) {
        if (err instanceof InsightInputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInsightInput');
        throw err;
      }
      const insightId = await deps.insights.upsert(input.userId, input.weekStart, input.timezone, insight);
      deps.logger.info({ userId: input.userId, weekStart: input.weekStart, meals: insight.mealCount }, 'weekly insight stored');
      return { insightId, meals: insight.mealCount };
    },
  };
}

export type InsightActivities = ReturnType<typeof createInsightActivities>;
