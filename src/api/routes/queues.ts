import { createRoute, z } from '@hono/zod-openapi';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { ALL_QUEUES } from '../../temporal/queues';
import { requireRole } from '../auth';
import type { ApiDeps, App } from '../deps';
import { ErrorEnvelopeSchema } from '../errors';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const { TaskQueueType } = temporal.api.enums.v1;

/** `GET /v1/queues`: per task queue and task type, the pollers (workers) and the backlog, from Temporal. */
export function registerQueueRoutes(app: App, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/queues',
      tags: ['operations'],
      summary: 'Task queues: pollers and backlog per queue (staff/admin)',
      description:
        "From Temporal's task-queue description. Backlog counts are Temporal's approximations (they lag by a few seconds).",
      security: [{ bearer: [] }],
      responses: {
        200: {
          content: {
            'application/json': { schema: z.object({ items: z.array(z.object({ name: z.string() }).passthrough()) }) },
          },
          description: 'Queues',
        },
        401: err('No or invalid token'),
        403: err('Not staff'),
      },
    }),
    async (c) => {
      requireRole(c, ['staff', 'admin']);
      const describe = async (name: string, type: 'workflow' | 'activity') => {
        const res = await deps.temporal.workflowService.describeTaskQueue({
          namespace: deps.config.TEMPORAL_NAMESPACE,
          taskQueue: { name, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType:
            type === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
          reportStats: true,
        });
        const stats = res.stats;
        return {
          pollers: (res.pollers ?? []).map((p) => ({
            identity: p.identity ?? '',
            lastAccessTime: optionalTsToDate(p.lastAccessTime)?.toISOString() ?? null,
            ratePerSecond: p.ratePerSecond ?? null,
          })),
          backlog: {
            approximateCount: Number(stats?.approximateBacklogCount ?? 0),
            approximateAgeSeconds: Number(stats?.approximateBacklogAge?.seconds ?? 0),
            tasksAddRate: stats?.tasksAddRate ?? 0,
            tasksDispatchRate: stats?.tasksDispatchRate ?? 0,
          },
        };
      };
      const items = await Promise.all(
        ALL_QUEUES.map(async (name) => {
          const [workflow, activity] = await Promise.all([describe(name, 'workflow'), describe(name, 'activity')]);
          return {
            name,
            workflow,
            activity,
            pollers: new Set([...workflow.pollers, ...activity.pollers].map((p) => p.identity)).size,
          };
        }),
      );
      return c.json({ items }, 200);
    },
  );
}
