import { ApplicationFailure } from '@temporalio/activity';
import type { WeekRequest, WeekResult } from '../contracts/weekly-insight';
import { createEventPublisher, type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent } from '../adapters/events/schema';
import type { InsightRepository } from '../db/repositories/insights';
import { feedbackProfileOf, type ProfileRepository } from '../db/repositories/profiles';
import { DEFAULT_PROFILE_ID, dailyTargets, type MealType } from '../domain/feedback';
import { computeWeeklyInsight, InsightInputError, type MealForInsight } from '../domain/insights';
import { addDays, isValidTimeZone, mondayOf } from '../domain/insights/time';
import type { Nutrients } from '../domain/nutrition/types';
import type { Logger } from '../logger';

export interface InsightActivityDeps {
  insights: InsightRepository;
  profiles: ProfileRepository;
  logger: Logger;
  /** Domain events (NATS). Absent: the events are written to the log, as without NATS_URL. */
  events?: EventPublisher;
}

// Any time zone is within ±14 h of UTC: loading one extra day on each side covers every local week.
const DAY_MS = 86_400_000;

export function createInsightActivities(deps: InsightActivityDeps) {
  const events = deps.events ?? createEventPublisher(undefined, deps.logger);
  const load = async (userId: string, firstDay: string, days: number): Promise<MealForInsight[]> => {
    const from = new Date(Date.parse(`${firstDay}T00:00:00Z`) - DAY_MS);
    const to = new Date(Date.parse(`${firstDay}T00:00:00Z`) + (days + 1) * DAY_MS);
    const rows = await deps.insights.analysedMeals(userId, from, to);
    return rows.map((r) => ({
      mealId: r.id,
      eatenAt: r.eatenAt.toISOString(),
      mealType: r.mealType as MealType,
      totals: r.totals as Nutrients,
      items: ((r.items as { name: string | null; grams: number; category?: string; nutrients: Nutrients }[]) ?? []).map(
        (i) => ({
          name: i.name,
          grams: i.grams,
          ...(i.category ? { category: i.category } : {}),
          nutrients: i.nutrients,
        }),
      ),
    }));
  };

  return {
    /**
     * Loads the person's analysed meals of the week (and the week before, for trends), computes the insight
     * with the pure engine and stores it per (person, week). Idempotent: rerunning replaces the same row.
     */
    async computeWeeklyInsightFor(input: WeekRequest): Promise<WeekResult> {
      // A scheduled run names no week: it covers the last complete week, in the person's zone, before the
      // time it was scheduled for (`asOf`, from workflow time, so a retry an hour later picks the same week).
      if (input.weekStart) return computeWeek({ ...input, weekStart: input.weekStart });
      const asOf = Date.parse(input.asOf ?? '');
      if (!Number.isFinite(asOf) || !isValidTimeZone(input.timezone))
        throw ApplicationFailure.nonRetryable(
          'a weekStart, or a valid asOf instant and time zone, is required',
          'InvalidInsightInput',
        );
      return computeWeek({ ...input, weekStart: addDays(mondayOf(asOf, input.timezone), -7) });
    },

    /**
     * One page of the fan-out: people with at least one analysed meal in the week (widened by a day on each
     * side, as any zone's week fits in it), after `after` in user-id order, with their schedule's time zone.
     */
    async listPeopleWithMeals(input: {
      weekStart: string;
      after?: string;
      limit: number;
    }): Promise<{ userId: string; timezone: string }[]> {
      const from = new Date(Date.parse(`${input.weekStart}T00:00:00Z`) - DAY_MS);
      const to = new Date(Date.parse(`${input.weekStart}T00:00:00Z`) + 8 * DAY_MS);
      const rows = await deps.insights.peopleWithMeals(from, to, input.after, input.limit);
      return rows.map((r) => ({ userId: r.userId, timezone: r.timezone ?? 'UTC' }));
    },

    /**
     * `wellflow.insight.generated` (docs/events.md): ids and the meal count only. Each computation of a week is
     * its own fact, identified by the stored row's `computedAt` (the id stays the same when a week is
     * recomputed): event id `insight.generated:<insightId>:<computedAt>`, time = computedAt. Read back from the
     * row rather than taken from the clock, so every retry sends the identical message; if the same week was
     * recomputed meanwhile, both runs announce the newer version under one id, which consumers dedupe.
     */
    async publishInsightEvent(input: WeekResult & { userId: string }): Promise<void> {
      const row = await deps.insights.getByWeek(input.userId, input.weekStart);
      if (!row || row.id !== input.insightId)
        throw ApplicationFailure.nonRetryable(`insight ${input.insightId} is no longer stored`, 'InsightNotFound');
      const stored = (row.insight as { mealCount?: unknown }).mealCount;
      const computedAt = row.computedAt.toISOString();
      const event = buildDomainEvent(
        'insight.generated',
        {
          insightId: row.id,
          userId: row.userId,
          weekStart: row.weekStart,
          mealCount: typeof stored === 'number' ? stored : input.meals,
        },
        { key: `${row.id}:${computedAt}`, time: computedAt },
      );
      await publishDomainEvent(events, event);
    },
  };

  async function computeWeek(input: { userId: string; weekStart: string; timezone: string }): Promise<WeekResult> {
    const { personal, guidelineProfileId = DEFAULT_PROFILE_ID } = feedbackProfileOf(
      await deps.profiles.get(input.userId),
    );
    const previousStart = addDays(input.weekStart, -7);
    const [meals, previousWeekMeals] = await Promise.all([
      load(input.userId, input.weekStart, 7),
      load(input.userId, previousStart, 7),
    ]);
    let insight;
    try {
      insight = computeWeeklyInsight({
        weekStart: input.weekStart,
        timezone: input.timezone,
        meals,
        previousWeekMeals,
        targets: dailyTargets(personal, guidelineProfileId),
        guidelineProfileId,
      });
    } catch (err) {
      if (err instanceof InsightInputError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidInsightInput');
      throw err;
    }
    const insightId = await deps.insights.upsert(input.userId, input.weekStart, input.timezone, insight);
    deps.logger.info(
      { userId: input.userId, weekStart: input.weekStart, meals: insight.mealCount },
      'weekly insight stored',
    );
    return { insightId, weekStart: input.weekStart, meals: insight.mealCount };
  }
}

export type InsightActivities = ReturnType<typeof createInsightActivities>;
