import { createRoute, z } from '@hono/zod-openapi';
import { parseInstant } from '../../domain/insights/time';
import { caller, isStaff } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema } from '../errors';
import { computeRunStats } from '../run-stats';
import { scanRuns, visibilityQuery, WORKFLOW_TYPES } from '../workflow-views';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const Instant = z
  .string()
  .refine((s) => parseInstant(s) !== null, 'must be an ISO instant with a time zone, e.g. 2026-11-01T00:00:00Z');
const DAY_MS = 86_400_000;
/** Why 20,000: one scan of visibility pages of 1,000 stays within a couple of seconds; beyond it the answer says `truncated`. */
const MAX_RUNS = 20_000;

/** `GET /v1/workflows/stats`: what ran, how often it failed and how long it took, from Temporal visibility. */
export function registerWorkflowStatsRoutes(app: App, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workflows/stats',
      tags: ['workflows'],
      summary:
        "Run analytics for the caller's runs (staff/admin: all): counts by type and status, success rate, duration percentiles, busiest hours",
      description:
        'Runs started in [from, to) (default: the last 7 days, at most 366). Success rate = completed / (completed + failed + timed_out + terminated); durations are of those runs, nearest-rank percentiles in ms.',
      security: [{ bearer: [] }],
      request: {
        query: z.object({ from: Instant.optional(), to: Instant.optional(), type: z.enum(WORKFLOW_TYPES).optional() }),
      },
      responses: {
        200: {
          content: {
            'application/json': {
              schema: z.object({ from: z.string(), to: z.string(), total: z.number() }).passthrough(),
            },
          },
          description: 'Statistics',
        },
        401: err('No or invalid token'),
        422: err('Invalid range or type'),
      },
    }),
    async (c) => {
      const who = caller(c);
      const q = c.req.valid('query');
      const to = q.to ? parseInstant(q.to)! : Date.now();
      const from = q.from ? parseInstant(q.from)! : to - 7 * DAY_MS;
      if (to <= from)
        throw new AppError('validation', 'invalid_range', 'to must be after from', [
          { path: 'to', message: 'must be after from' },
        ]);
      if (to - from > 366 * DAY_MS)
        throw new AppError('validation', 'range_too_long', 'Statistics cover at most 366 days', [
          { path: 'from', message: 'at most 366 days before to' },
        ]);
      const scope = visibilityQuery({ caller: who, type: q.type });
      const window = `StartTime >= '${new Date(from).toISOString()}' AND StartTime < '${new Date(to).toISOString()}'`;
      const { runs, truncated } = await scanRuns(
        deps.temporal,
        deps.config.TEMPORAL_NAMESPACE,
        scope ? `${scope} AND ${window}` : window,
        MAX_RUNS,
      );
      return c.json(
        {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          scope: isStaff(who) ? 'all' : 'mine',
          ...(q.type ? { type: q.type } : {}),
          truncated,
          ...computeRunStats(runs),
        },
        200,
      );
    },
  );
}
