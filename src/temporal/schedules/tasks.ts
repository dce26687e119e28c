import {
  type CalendarSpec,
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { QUEUES } from '../../contracts/queues';
import { ownedBy } from '../../contracts/contract';
import { type TaskExecutionInput, taskExecutionContract, taskScheduleId } from '../../contracts/task-execution';
import { planForTask } from '../../domain/routines/next-run';
import type { TaskSchedulePlan } from '../../domain/routines/schedule';
import { taskExecution } from '../../workflows/task-execution';

/**
 * A task's Temporal Schedule (`task-<taskId>`): the calendar of its plan (src/domain/routines/schedule.ts) in
 * the task's zone, so "08:00 Europe/Berlin" stays 08:00 local across DST. Each occurrence starts one short
 * `taskExecution` run; nothing stays open between occurrences. Create, update, pause and delete are
 * idempotent so a retried API call converges.
 */
function optionsFor(userId: string, taskId: string, plan: TaskSchedulePlan) {
  const input: TaskExecutionInput = { taskId, userId, trigger: 'scheduled' };
  return {
    // The domain's plan is Temporal's calendar shape (months as the upper-case names Temporal takes).
    spec: { calendars: plan.calendars as CalendarSpec[], timezone: plan.timezone },
    action: {
      type: 'startWorkflow' as const,
      workflowType: taskExecution,
      args: [input] as [TaskExecutionInput],
      taskQueue: QUEUES[taskExecutionContract.taskQueue],
      workflowId: taskScheduleId(taskId),
      typedSearchAttributes: ownedBy(userId),
    },
    // SKIP: while the previous reminder still waits for its answer the next one is not stacked on top (the
    // person sees one reminder per task at a time); editing the schedule never touches the waiting run.
    // A catch-up window of 10 min: after an outage a reminder a few minutes late still goes out; an older
    // one would only be noise ("drink water" from 3 hours ago), so it is dropped.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10m' as const },
  };
}

/**
 * Creates or replaces the schedule; `paused` is the task's state. The next fire time is not read back (a
 * describe per call): the row's nextRunAt comes from the same plan (src/domain/routines/next-run.ts).
 */
export async function upsertTaskSchedule(
  client: Client,
  t: { userId: string; taskId: string; plan: TaskSchedulePlan; paused: boolean },
): Promise<void> {
  const options = optionsFor(t.userId, t.taskId, t.plan);
  const handle = client.schedule.getHandle(taskScheduleId(t.taskId));
  try {
    await client.schedule.create({ scheduleId: taskScheduleId(t.taskId), ...options, state: { paused: t.paused } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((prev) => ({ ...options, state: { ...prev.state, paused: t.paused } }));
  }
}

/** Pauses or unpauses the schedule (idempotent); a task without one (a to-do without reminder) is fine. */
export async function setTaskSchedulePaused(client: Client, taskId: string, paused: boolean): Promise<void> {
  const handle = client.schedule.getHandle(taskScheduleId(taskId));
  try {
    if (paused) await handle.pause('task paused');
    else await handle.unpause('task resumed');
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** Removes the schedule; a task that never had one (a to-do without reminder) is fine. */
export async function deleteTaskSchedule(client: Client, taskId: string): Promise<void> {
  try {
    await client.schedule.getHandle(taskScheduleId(taskId)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/**
 * The one way a task's schedule follows its row: created or replaced with the row's plan and state, or removed
 * when the row never fires (a to-do without a reminder, a deleted task). The API's create and edit and the hourly
 * cleanup's repair of a schedule a create never wrote (tasks.schedule_pending_since) all call it.
 */
export async function writeTaskScheduleFor(
  client: Client,
  row: {
    id: string;
    userId: string;
    status: string;
    taskType: string;
    config: unknown;
    timezone: string;
    reminderAt: Date | null;
  },
): Promise<void> {
  const plan =
    row.status === 'deleted' ? undefined : planForTask({ ...row, reminderAtMs: row.reminderAt?.getTime() ?? null });
  if (plan)
    await upsertTaskSchedule(client, { userId: row.userId, taskId: row.id, plan, paused: row.status !== 'active' });
  else await deleteTaskSchedule(client, row.id);
}
