import type { Client } from '@temporalio/client';
import { parseInstant } from '../../domain/insights/time';
import { type Caller, isStaff } from '../auth';
import { AppError } from '../errors';
import { type EventCursor, parseEventId } from './runs/run-events';
import { computeRunStats } from './runs/run-stats';
import { followRun } from './runs/run-stream';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import {
  describeOwnedRun,
  listRuns,
  type ListRunsOptions,
  runDetail,
  scanRuns,
  visibilityQuery,
} from './runs/run-views';
import { stepResolver, workflowTypes } from './runs/workflow-catalog';

const DAY_MS = 86_400_000;
/** Why 20,000: one scan of visibility pages of 1,000 stays within a couple of seconds; beyond it the answer says `truncated`. */
const MAX_RUNS = 20_000;

/**
 * Runs as Temporal knows them (docs/architecture.md, principle 1): the caller's runs (staff and admins: all), one
 * run's detail, cancellation, run statistics, a run's live events, and the catalog of workflow types.
 */
export function createWorkflowService(deps: { temporal: Client; namespace: string }) {
  const { temporal, namespace } = deps;

  /** What ran in [from, to) (default: the last 7 days, at most 366), how often it failed and how long it took. */
  async function stats(who: Caller, q: { from?: string; to?: string; type?: string }) {
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
      temporal,
      namespace,
      scope ? `${scope} AND ${window}` : window,
      MAX_RUNS,
    );
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      scope: isStaff(who) ? 'all' : 'mine',
      ...(q.type ? { type: q.type } : {}),
      truncated,
      ...computeRunStats(runs),
    };
  }

  /** Requests cancellation of a running run the caller may see; 409 when it is not running. */
  async function cancel(workflowId: string, who: Caller): Promise<void> {
    const { handle, desc } = await describeOwnedRun(temporal, workflowId, who);
    if (desc.status.name !== 'RUNNING') {
      throw new AppError(
        'conflict',
        'not_running',
        `The run ${workflowId} is ${desc.status.name.toLowerCase()}, not running`,
      );
    }
    await withTemporalDeadline(temporal, () => handle.cancel());
  }

  /**
   * A run's events from `lastEventId` on, until it closes. Ownership is checked before the first event, so a
   * stranger gets the ordinary 404 before any stream opens.
   */
  async function events(workflowId: string, who: Caller, lastEventId: string | undefined) {
    const { desc } = await describeOwnedRun(temporal, workflowId, who);
    const after: EventCursor | undefined = parseEventId(lastEventId);
    return (aborted: () => boolean) =>
      followRun(temporal, namespace, { workflowId, runId: desc.runId }, stepResolver(desc.type), { after, aborted });
  }

  return {
    types: workflowTypes,
    list: (opts: ListRunsOptions) => listRuns(temporal, namespace, opts),
    detail: (workflowId: string, who: Caller) => runDetail(temporal, workflowId, who),
    cancel,
    stats,
    events,
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
