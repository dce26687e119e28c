import {
  type Client,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleDescription,
} from '@temporalio/client';
import { parseInstant } from '../../domain/insights/time';
import { loadDeclaredSchedules, type ScheduleDeclaration } from '../../temporal/schedules/declared';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import { AppError, notFound } from '../errors';

/** A backfill runs every missed time in the range, one after another: a year of hourly cleanups is 8,760 runs, the most we accept. */
const MAX_BACKFILL_MS = 366 * 86_400_000;

/** What an admin sees of a schedule: its declaration, its state and its last and next runs. */
function scheduleView(d: ScheduleDescription, declared?: ScheduleDeclaration) {
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

/**
 * The declared system schedules (temporal/schedules/declared.ts), administered through Temporal: list,
 * describe, pause, unpause, trigger, backfill. Only declared schedules are administered here; per-person
 * ones belong to their owner.
 */
export function createScheduleService(deps: { temporal: Client; schedulesFile?: string }) {
  const declared = new Map(loadDeclaredSchedules(deps.schedulesFile).map((d) => [d.id, d]));
  const handle = (id: string) => deps.temporal.schedule.getHandle(id);

  const known = (id: string) => {
    const d = declared.get(id);
    if (!d) throw notFound('schedule', id);
    return d;
  };

  async function describe(id: string): Promise<ScheduleDescription> {
    try {
      return await withTemporalDeadline(deps.temporal, () => handle(id).describe());
    } catch (e) {
      if (e instanceof ScheduleNotFoundError) throw notFound('schedule', id);
      throw e;
    }
  }

  async function list() {
    return Promise.all(
      [...declared.values()].map(async (d) => {
        try {
          return scheduleView(await withTemporalDeadline(deps.temporal, () => handle(d.id).describe()), d);
        } catch (e) {
          if (!(e instanceof ScheduleNotFoundError)) throw e;
          // Declared but not synced yet (`wellflow schedules sync`): say so instead of hiding it.
          return { scheduleId: d.id, description: d.description, workflowType: d.workflowType, missing: true };
        }
      }),
    );
  }

  async function get(id: string) {
    return scheduleView(await describe(id), known(id));
  }

  /** Pauses or unpauses; the note is kept on the schedule. */
  async function setPaused(id: string, action: 'pause' | 'unpause', note: string) {
    const d = known(id);
    await describe(id);
    await withTemporalDeadline(deps.temporal, () => handle(id)[action](note));
    return scheduleView(await describe(id), d);
  }

  /** Runs the schedule now; 409 while a run is still going. */
  async function trigger(id: string): Promise<void> {
    known(id);
    const d = await describe(id);
    // SKIP as everywhere: never two runs of one job at once. Said out loud rather than silently skipped.
    if (d.info.runningActions.length > 0)
      throw new AppError(
        'conflict',
        'schedule_running',
        `A run of ${id} is still going: ${d.info.runningActions[0]!.workflow.workflowId}`,
      );
    await withTemporalDeadline(deps.temporal, () => handle(id).trigger(ScheduleOverlapPolicy.SKIP));
  }

  /** Runs every time the schedule would have fired in [start, end), one after another. */
  async function backfill(id: string, start: string, end: string) {
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
    await describe(id);
    // BUFFER_ALL: each missed time runs, in order, one at a time (SKIP would drop all but the first).
    await withTemporalDeadline(deps.temporal, () =>
      handle(id).backfill({ start: new Date(from), end: new Date(to), overlap: ScheduleOverlapPolicy.BUFFER_ALL }),
    );
    return { scheduleId: id, start: new Date(from).toISOString(), end: new Date(to).toISOString() };
  }

  return { list, get, setPaused, trigger, backfill };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
