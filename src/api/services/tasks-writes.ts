import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { createTaskRepository, type TaskRepository, type TaskRow } from '../../db/repositories/tasks';
import { ACTIVE_TASK_CAPS } from '../../domain/routines/vocabulary';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { writeTaskScheduleFor } from '../../temporal/schedules/tasks';
import type { TaskLifecycle } from '../../temporal/tasks-lifecycle';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import { AppError, outageError } from '../errors';
import { planOf } from './tasks-config';

/**
 * The writes the task service's create, edit, resume and delete paths share: the cap check (under the
 * person's lock), the task's schedule with its next run time, and the soft delete with its event.
 */
export function createTaskWrites(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  lifecycle: TaskLifecycle;
}) {
  const tasks = createTaskRepository(deps.database.db);
  const temporal = <T>(fn: () => Promise<T>) => withTemporalDeadline(deps.temporal, fn);

  /**
   * 429 when one more active task would pass the level's cap (details name the limit). Runs on `repo`, a
   * transaction, under the person's lock: the write that follows in the same transaction is counted by the
   * next check, so concurrent creates or resumes cannot pass the cap together.
   */
  async function checkActiveCap(repo: TaskRepository, userId: string) {
    await repo.lockPerson(userId);
    const level = await repo.level(userId);
    const cap = ACTIVE_TASK_CAPS[level];
    const active = await repo.countActive(userId);
    if (active >= cap)
      throw new AppError(
        'rate_limited',
        'active_task_limit',
        `Your ${level} subscription allows ${cap} active tasks; pause or delete one, or upgrade.`,
        { limit: 'active_tasks', level, cap, active },
      );
  }

  /**
   * Writes the task's schedule (or removes it when it never fires), clears the create's pending mark, then
   * stores the row's next run time. `planOf` first: an inconsistent timing is a 422, not a Temporal call.
   */
  async function writeSchedule(row: TaskRow): Promise<TaskRow> {
    planOf(row);
    await temporal(() => writeTaskScheduleFor(deps.temporal, row));
    await tasks.scheduleWritten(row.id);
    return (await tasks.refreshNextRun(row.id, Date.now())) ?? row;
  }

  /** writeSchedule for an existing task: a failure is a 503 the person can retry. */
  async function syncSchedule(row: TaskRow): Promise<TaskRow> {
    try {
      return await writeSchedule(row);
    } catch (err) {
      deps.logger.warn({ err: logErr(err), taskId: row.id }, 'task schedule could not be saved');
      throw (
        outageError(err) ??
        new AppError('unavailable', 'schedule_failed', 'The schedule could not be saved. Please retry.')
      );
    }
  }

  /** Soft delete and its task.deleted in one transaction; null when there was no live task. */
  async function softDelete(id: string, userId: string) {
    return deps.database.db.transaction(async (tx) => {
      const row = await createTaskRepository(tx).softDelete(id, userId);
      if (row) await deps.lifecycle.record(tx, 'task.deleted', row);
      return row;
    });
  }

  return { checkActiveCap, writeSchedule, syncSchedule, softDelete };
}
