import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { createInsightRepository } from '../../db/repositories/insights';
import { createMealCorrectionRepository } from '../../db/repositories/meal-corrections';
import { createProfileRepository } from '../../db/repositories/profiles';
import { renderWeeklyChartSvg, type WeeklyInsight } from '../../domain/insights';
import { mondayOf } from '../../domain/insights/time';
import type { Logger } from '../../logger';
import { startWorkflow } from '../../temporal/workflow-client';
import { weeklyInsight } from '../../workflows/weekly-insight';
import { AppError, notFound, outageError } from '../errors';
import { isUuid } from '../schemas/common';

/**
 * Weekly insights: computed on demand by the person's `insights-<userId>-<weekStart>` run (the same id the
 * weekly fan-out uses, so a week is never computed twice at once), and read back from PostgreSQL.
 */
export function createInsightService(deps: { database: Database; temporal: Client; logger: Logger }) {
  const insights = createInsightRepository(deps.database.db);
  const profiles = createProfileRepository(deps.database.db);
  const corrections = createMealCorrectionRepository(deps.database.db);

  async function compute(userId: string, request: { weekStart?: string; timezone?: string }) {
    // Default zone: the one of the person's insight schedule, so on-demand and scheduled weeks agree.
    const timezone = request.timezone ?? (await profiles.get(userId))?.timezone ?? 'UTC';
    const weekStart = request.weekStart ?? mondayOf(Date.now(), timezone);
    try {
      // The same week already being computed counts as started: that run will store it.
      const { workflowId } = await startWorkflow(deps.temporal, weeklyInsight, { userId, weekStart, timezone });
      return { workflowId, weekStart };
    } catch (err) {
      deps.logger.warn({ weekStart, err: err instanceof Error ? err.message : String(err) }, 'insight start failed');
      throw (
        outageError(err) ??
        new AppError('unavailable', 'workflow_start_failed', 'The insight could not be started. Please retry.')
      );
    }
  }

  async function getWeek(userId: string, weekStart: string) {
    const row = await insights.getByWeek(userId, weekStart);
    if (!row) throw notFound('weekly_insight');
    // A meal of the week was corrected after this was computed: the next run (or POST /v1/insights/weekly) fixes it.
    const marked = await corrections.staleMark(userId, weekStart);
    const stale = marked !== undefined && marked > row.computedAt;
    return {
      stale,
      ...(stale ? { staleSince: marked.toISOString() } : {}),
      insightId: row.id,
      weekStart: row.weekStart,
      timezone: row.timezone,
      computedAt: row.computedAt.toISOString(),
      chart: `/v1/insights/weekly/${row.id}/chart.svg`,
      ...(row.insight as object),
    };
  }

  /** The insight as an SVG chart: daily kcal against the target, and the macro split. */
  async function chart(insightId: string, userId: string): Promise<string> {
    const row = isUuid(insightId) ? await insights.getOwned(insightId, userId) : undefined;
    if (!row) throw notFound('weekly_insight', insightId);
    return renderWeeklyChartSvg(row.insight as WeeklyInsight);
  }

  return { compute, getWeek, chart };
}

export type InsightService = ReturnType<typeof createInsightService>;
