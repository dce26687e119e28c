import { createRoute, z } from '@hono/zod-openapi';
import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
  WorkflowIdConflictPolicy,
} from '@temporalio/client';
import {
  isMaintenanceJob,
  MAINTENANCE_JOBS,
  MAINTENANCE_WORKFLOW_TYPES,
  type MaintenanceInput,
} from '../../domain/maintenance/jobs';
import { parseInstant } from '../../domain/insights/time';
import { QUEUES } from '../../temporal/queues';
import { loadDeclaredSchedules, type ScheduleDeclaration } from '../../temporal/schedules/declared';
import { requireRole } from '../auth';
import type { ApiDeps, App } from '../deps';
import { AppError, ErrorEnvelopeSchema, notFound } from '../errors';

const err = (description: string) => ({
  content: { 'application/json': { schema: ErrorEnvelopeSchema } },
  description,
});
const ScheduleSchema = z.object({ scheduleId: z.string() }).passthrough().openapi('Schedule');
const IdParam = z.object({ id: z.string().openapi({ example: 'maintenance-cleanup' }) });
const Instant = z
  .string()
  .refine((s) => parseInstant(s) !== null, 'must be an ISO instant with a time zone, e.g. 2026-11-01T00:00:00Z');
const BackfillBody = z.object({ start: Instant, end: Instant }).strict().openapi('Backfill');
const NoteBody = z.object({ note: z.string().max(500).optional() }).strict();
/** A backfill runs every missed time in the range, one after another: a year of hourly cleanups is 8,760 runs, the most we accept. */
const MAX_BACKFILL_MS = 366 * 86_400_000;

/** What an admin sees of a schedule: its declaration, its state and its last and next runs. */
export function scheduleView(d: ScheduleDescription, declared?: ScheduleDeclaration) {
  return {
    scheduleId: d.scheduleId,
    description: declared?.description ?? null,
    workflowType: d.action.workflowType,
    spec: declared
      ? {
          ...(declared.cron ? { cron: declared.cron } : { calendar: declared.calendar }),
          timezone: declared.timezone,
          jitter: declared.jitter,
        }
      : { timezone: d.spec.timezone ?? 'UTC' },
    policies: { overlap: d.policies.overlap, catchupWindowMs: d.policies.catchupWindow },
    paused: d.state.paused,
    note: d.state.note ?? null,
    nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      startedAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
      runId: a.action.workflow.firstExecutionRunId,
    })),
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    actionsTaken: d.info.numActionsTaken,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    createdAt: d.info.createdAt.toISOString(),
    updatedAt: d.info.lastUpdatedAt?.toISOString() ?? null,
  };
}

async function describeOrNotFound(temporal: Client, id: string): Promise<ScheduleDescription> {
  try {
    return await temporal.schedule.getHandle(id).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) throw notFound('schedule', id);
    throw e;
  }
}

/** Admin: the declared system schedules (list, describe, pause, unpause, trigger, backfill) and maintenance jobs on demand. */
export function registerScheduleRoutes(app: App, deps: ApiDeps): void {
  const declared = new Map(loadDeclaredSchedules(deps.config.SCHEDULES_FILE).map((d) => [d.id, d]));
  const security = [{ bearer: [] }];
  const tags = ['schedules'];
  const admin = { 401: err('No or invalid token'), 403: err('Not an admin') };
  const one = {
    200: { content: { 'application/json': { schema: ScheduleSchema } }, description: 'The schedule' },
    ...admin,
    404: err('No such schedule'),
  };
  /** Only declared system schedules are administered here; per-person ones belong to their owner. */
  const known = (id: string) => {
    const d = declared.get(id);
    if (!d) throw notFound('schedule', id);
    return d;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/schedules',
      tags,
      summary: 'The declared system schedules with their state and next runs (admin)',
      security,
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ items: z.array(ScheduleSchema) }) } },
          description: 'Schedules',
        },
        ...admin,
      },
    }),
    async (c) => {
      requireRole(c, ['admin']);
      const items = await Promise.all(
        [...declared.values()].map(async (d) => {
          try {
            return scheduleView(await deps.temporal.schedule.getHandle(d.id).describe(), d);
          } catch (e) {
            if (!(e instanceof ScheduleNotFoundError)) throw e;
            // Declared but not synced yet (`wellflow schedules sync`): say so instead of hiding it.
            return { scheduleId: d.id, description: d.description, workflowType: d.workflowType, missing: true };
          }
        }),
      );
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/schedules/{id}',
      tags,
      summary: 'One schedule: spec, policies, state, next runs and recent runs (admin)',
      security,
      request: { params: IdParam },
      responses: one,
    }),
    async (c) => {
      requireRole(c, ['admin']);
      const { id } = c.req.valid('param');
      return c.json(scheduleView(await describeOrNotFound(deps.temporal, id), known(id)), 200);
    },
  );

  for (const action of ['pause', 'unpause'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/schedules/{id}/${action}`,
        tags,
        summary: `${action === 'pause' ? 'Pause' : 'Unpause'} a schedule (admin); the note is kept on the schedule`,
        security,
        request: { params: IdParam, body: { content: { 'application/json': { schema: NoteBody } }, required: false } },
        responses: { ...one, 422: err('Invalid note') },
      }),
      async (c) => {
        const who = requireRole(c, ['admin']);
        const { id } = c.req.valid('param');
        const d = known(id);
        const note = (c.req.valid('json') as { note?: string } | undefined)?.note ?? `${action}d by ${who.sub}`;
        await describeOrNotFound(deps.temporal, id);
        await deps.temporal.schedule.getHandle(id)[action](note);
        return c.json(scheduleView(await describeOrNotFound(deps.temporal, id), d), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/schedules/{id}/trigger',
      tags,
      summary: 'Run the schedule now (admin); 409 while a run is still going',
      security,
      request: { params: IdParam },
      responses: {
        202: {
          content: { 'application/json': { schema: z.object({ scheduleId: z.string(), triggered: z.boolean() }) } },
          description: 'Triggered',
        },
        ...admin,
        404: err('No such schedule'),
        409: err('A run of this schedule is still going'),
      },
    }),
    async (c) => {
      requireRole(c, ['admin']);
      const { id } = c.req.valid('param');
      known(id);
      const d = await describeOrNotFound(deps.temporal, id);
      // SKIP as everywhere: never two runs of one job at once. Said out loud rather than silently skipped.
      if (d.info.runningActions.length > 0)
        throw new AppError(
          'conflict',
          'schedule_running',
          `A run of ${id} is still going: ${d.info.runningActions[0]!.workflow.workflowId}`,
        );
      await deps.temporal.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
      return c.json({ scheduleId: id, triggered: true }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/schedules/{id}/backfill',
      tags,
      summary: 'Run every time the schedule would have fired in [start, end), one after another (admin)',
      security,
      request: { params: IdParam, body: { content: { 'application/json': { schema: BackfillBody } }, required: true } },
      responses: {
        202: {
          content: {
            'application/json': { schema: z.object({ scheduleId: z.string(), start: z.string(), end: z.string() }) },
          },
          description: 'Backfill accepted',
        },
        ...admin,
        404: err('No such schedule'),
        422: err('Invalid range'),
      },
    }),
    async (c) => {
      requireRole(c, ['admin']);
      const { id } = c.req.valid('param');
      const { start, end } = c.req.valid('json');
      const from = parseInstant(start)!;
      const to = parseInstant(end)!;
      if (to <= from)
        throw new AppError('validation', 'invalid_range', 'end must be after start', [
          { path: 'end', message: 'must be after start' },
        ]);
      if (to - from > MAX_BACKFILL_MS)
        throw new AppError('validation', 'range_too_long', 'A backfill covers at most 366 days', [
          { path: 'end', message: 'at most 366 days after start' },
        ]);
      known(id);
      await describeOrNotFound(deps.temporal, id);
      // BUFFER_ALL: each missed time runs, in order, one at a time (SKIP would drop all but the first).
      await deps.temporal.schedule
        .getHandle(id)
        .backfill({ start: new Date(from), end: new Date(to), overlap: ScheduleOverlapPolicy.BUFFER_ALL });
      return c.json({ scheduleId: id, start: new Date(from).toISOString(), end: new Date(to).toISOString() }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/maintenance/{job}',
      tags: ['maintenance'],
      summary: `Run a maintenance job now (admin): ${MAINTENANCE_JOBS.join(', ')}`,
      security,
      request: { params: z.object({ job: z.string().openapi({ example: 'cleanup' }) }) },
      responses: {
        202: {
          content: {
            'application/json': {
              schema: z.object({
                workflowId: z.string(),
                runId: z.string().optional(),
                job: z.string(),
                alreadyRunning: z.boolean(),
              }),
            },
          },
          description: 'Started (or the running one)',
        },
        ...admin,
        404: err('No such job'),
        503: err('Temporal unavailable'),
      },
    }),
    async (c) => {
      const who = requireRole(c, ['admin']);
      const { job } = c.req.valid('param');
      if (!isMaintenanceJob(job))
        throw new AppError(
          'not_found',
          'job_not_found',
          `No maintenance job ${job.slice(0, 60)}; jobs: ${MAINTENANCE_JOBS.join(', ')}`,
        );
      const workflowId = `maintenance-${job}-manual`;
      const input: MaintenanceInput = { requestedBy: who.sub, requestId: c.get('requestId') };
      // One manual run of a job at a time: a request while it runs gets the running one back.
      const running = await deps.temporal.workflow
        .getHandle(workflowId)
        .describe()
        .then((d) => (d.status.name === 'RUNNING' ? d.runId : undefined))
        .catch(() => undefined);
      if (running) return c.json({ workflowId, runId: running, job, alreadyRunning: true }, 202);
      const handle = await deps.temporal.workflow.start(MAINTENANCE_WORKFLOW_TYPES[job], {
        workflowId,
        taskQueue: QUEUES.default,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
      return c.json({ workflowId, runId: handle.firstExecutionRunId, job, alreadyRunning: false }, 202);
    },
  );
}
