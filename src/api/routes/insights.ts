import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createInsightRepository } from '../../db/repositories/insights';
import { createProfileRepository } from '../../db/repositories/profiles';
import { renderWeeklyChartSvg, type WeeklyInsight } from '../../domain/insights';
import { mondayOf } from '../../domain/insights/time';
import { QUEUES } from '../../temporal/queues';
import { StatusKey, UserIdKey } from '../../temporal/search-attributes';
import type { WeeklyInsightInput } from '../../workflows/weekly-insight';
import { caller } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound } from '../errors';
import { UUID_RE } from '../schemas/meals';

import { WeekStart, WeeklyInsightBody } from '../schemas/insights';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});

export function registerInsightRoutes(app: App, deps: ApiDeps): void {
  const insights = createInsightRepository(deps.database.db);
  const profiles = createProfileRepository(deps.database.db);
  const security = [{ bearer: [] }];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/insights/weekly',
      tags: ['insights'],
      summary: 'Compute my weekly insight now (default: the current week)',
      security,
      request: { body: { content: { 'application/json': { schema: WeeklyInsightBody } }, required: false } },
      responses: {
        202: {
          content: { 'application/json': { schema: z.object({ workflowId: z.string(), weekStart: z.string() }) } },
          description: 'Started',
        },
        401: err('No or invalid token'),
        422: err('Invalid week or time zone'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const body = (c.req.valid('json') as { weekStart?: string; timezone?: string } | undefined) ?? {};
      const userId = caller(c).sub;
      // Default zone: the one of the person's insight schedule, so on-demand and scheduled weeks agree.
      const timezone = body.timezone ?? (await profiles.get(userId))?.timezone ?? 'UTC';
      const weekStart = body.weekStart ?? mondayOf(Date.now(), timezone);
      const workflowId = `insights-${userId}-${weekStart}`;
      const args: WeeklyInsightInput = { userId, weekStart, timezone };
      try {
        await deps.temporal.workflow.start('weeklyInsight', {
          workflowId,
          taskQueue: QUEUES.default,
          args: [args],
          typedSearchAttributes: [
            { key: UserIdKey, value: userId },
            { key: StatusKey, value: 'running' },
          ],
        });
      } catch (e) {
        // The same week already being computed: that run will store it.
        if (!(e instanceof WorkflowExecutionAlreadyStartedError))
          throw new AppError('unavailable', 'workflow_start_failed', 'The insight could not be started. Please retry.');
      }
      return c.json({ workflowId, weekStart }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/insights/weekly',
      tags: ['insights'],
      summary: 'My stored weekly insight for a week',
      security,
      request: { query: z.object({ weekStart: WeekStart }) },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ insightId: z.string() }).passthrough() } },
          description: 'The insight',
        },
        401: err('No or invalid token'),
        404: err('No insight for that week yet'),
        422: err('Invalid week'),
      },
    }),
    async (c) => {
      const row = await insights.getByWeek(caller(c).sub, c.req.valid('query').weekStart);
      if (!row) throw notFound('weekly_insight');
      return c.json(
        {
          insightId: row.id,
          weekStart: row.weekStart,
          timezone: row.timezone,
          computedAt: row.computedAt.toISOString(),
          chart: `/v1/insights/weekly/${row.id}/chart.svg`,
          ...(row.insight as object),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/insights/weekly/{insightId}/chart.svg',
      tags: ['insights'],
      summary: 'The week as an SVG chart: daily kcal against the target, and the macro split',
      security,
      request: { params: z.object({ insightId: z.string() }) },
      responses: {
        200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'SVG' },
        401: err('No or invalid token'),
        404: err('No such insight'),
      },
    }),
    async (c) => {
      const { insightId } = c.req.valid('param');
      if (!UUID_RE.test(insightId)) throw notFound('weekly_insight', insightId);
      const row = await insights.getOwned(insightId, caller(c).sub);
      if (!row) throw notFound('weekly_insight', insightId);
      return c.body(renderWeeklyChartSvg(row.insight as WeeklyInsight), 200, {
        'Content-Type': 'image/svg+xml; charset=utf-8',
      });
    },
  );
}
