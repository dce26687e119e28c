import { createTaskRepository } from '../../db/repositories/tasks';
import type { PassResult } from '../../domain/maintenance/types';
import { writeTaskScheduleFor } from '../../temporal/schedules/tasks';
import type { MaintenanceContext } from './context';
import { inChunks, MAINTENANCE_BATCH, untilDoneOrBudget } from './pass';

/**
 * How old a create's pending mark must be before the repair touches it: far beyond the API's Temporal call
 * deadline, so a create still in flight (or undoing itself after a refused schedule) is left to finish.
 */
export const PENDING_SCHEDULE_GRACE_MS = 5 * 60_000;

/** Concurrent schedule writes: a crash leaves a handful of rows, never a burst worth loading Temporal with. */
const TEMPORAL_CONCURRENCY = 4;

/** The cleanup chore, part three: schedules a task's create never wrote (parts one and two: cleanup.ts, stuck-meals.ts). */
export function taskScheduleActivities({ deps, log }: MaintenanceContext) {
  const tasks = createTaskRepository(deps.database.db);
  return {
    /**
     * Tasks whose create committed the row but died before writing its Temporal Schedule (the row still carries
     * `schedule_pending_since`): the schedule is written from the row as it is now (paused, edited or deleted
     * meanwhile included), the mark cleared and the next run time stored. Idempotent: writing a schedule twice
     * converges, and each pass only reads rows still marked.
     */
    async repairTaskSchedules(input: { asOf: string }): Promise<PassResult> {
      const cutoff = new Date(Date.parse(input.asOf) - PENDING_SCHEDULE_GRACE_MS);
      const counts = { found: 0, written: 0 };
      const done = await untilDoneOrBudget(async () => {
        const rows = await tasks.unwrittenSchedules(cutoff, MAINTENANCE_BATCH);
        await inChunks(rows, TEMPORAL_CONCURRENCY, async (row) => {
          await writeTaskScheduleFor(deps.temporal, row);
          await tasks.scheduleWritten(row.id);
          await tasks.refreshNextRun(row.id, Date.now());
          counts.written += 1;
        });
        counts.found += rows.length;
        return rows.length === MAINTENANCE_BATCH;
      });
      if (counts.found) log().warn(counts, 'task schedules a create never wrote were written');
      return { counts, cutoff: cutoff.toISOString(), done };
    },
  };
}
