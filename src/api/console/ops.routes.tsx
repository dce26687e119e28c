/** @jsxImportSource hono/jsx */
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { parseInstant } from '../../domain/insights/time';
import type { HealthChecker } from '../../observability/health-checks';
import { MAINTENANCE_WORKFLOWS } from '../../temporal/workflow-registry';
import { AppError } from '../errors';
import { type RunSummary, scanRuns } from '../services/runs/run-views';
import type { QueueService } from '../services/queues.service';
import type { ScheduleService } from '../services/schedules.service';
import type { ConsoleEnv } from './console-env';
import { formField } from './guard';
import { OpsPage } from './ops-view';

/** Runs each list shows: a glance at what happened lately, not a history browser (the Web UI is that). */
const RECENT_RUNS = 15;

/** The operations page (admin) and its schedule actions, through the same services as /v1. */
export function opsRoutes(deps: {
  temporal: Client;
  namespace: string;
  health: HealthChecker;
  queues: QueueService;
  schedules: ScheduleService;
  webUi: string;
}) {
  const app = new Hono<ConsoleEnv>();
  const maintenanceTypes = Object.values(MAINTENANCE_WORKFLOWS).map((w) => `'${w.name}'`);
  const runs = async (query: string) => (await scanRuns(deps.temporal, deps.namespace, query, RECENT_RUNS)).runs;
  const runLink = (r: RunSummary) =>
    `${deps.webUi}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(r.workflowId)}/${r.runId}/history`;

  app.get('/console/ops', async (c) => {
    const [health, queues, schedules, maintenance, failed] = await Promise.all([
      deps.health.runAll(),
      deps.queues.list(),
      deps.schedules.list(),
      runs(`WorkflowType IN (${maintenanceTypes.join(', ')})`),
      runs(`ExecutionStatus = 'Failed'`),
    ]);
    return c.html(
      <OpsPage session={c.var.session} data={{ health, queues, schedules, maintenance, failed, runLink }} />,
    );
  });

  app.post('/console/ops/schedules/:id/:action', async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action');
    const by = c.var.session.sub;
    if (action === 'pause' || action === 'unpause')
      await deps.schedules.setPaused(id, action, `${action}d from the console by ${by}`);
    else if (action === 'trigger') await deps.schedules.trigger(id);
    else if (action === 'backfill') {
      // datetime-local has no zone: the form says UTC, so it is read as UTC.
      const utc = (v: string | undefined) => (v ? `${v.length === 16 ? `${v}:00` : v}Z` : '');
      const [start, end] = [utc(await formField(c, 'start')), utc(await formField(c, 'end'))];
      if (parseInstant(start) === undefined || parseInstant(end) === undefined)
        throw new AppError('validation', 'invalid_range', 'Backfill needs a start and an end date and time');
      await deps.schedules.backfill(id, start, end);
    } else throw new AppError('not_found', 'route_not_found', `No schedule action ${action.slice(0, 20)}`);
    return c.redirect('/console/ops#schedules', 303);
  });

  return app;
}
