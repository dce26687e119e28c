import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  sleep,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { TaskActivities } from '../activities/tasks';
import {
  MAX_SNOOZES,
  taskAnswerUpdate,
  type TaskExecutionInput,
  taskProgressQuery,
  type TaskRunResult,
  type TaskRunState,
} from '../contracts/task-execution';
import { TASK_EXECUTION_STEPS } from '../contracts/task-execution.policy';
import type { ExecutionOutcome, TaskAnswer } from '../domain/routines/vocabulary';
import { proxiesFor, StepTracker } from './step-runner';
import { nominalTime } from './weekly-insight';

const acts = proxiesFor<TaskActivities, keyof typeof TASK_EXECUTION_STEPS>(TASK_EXECUTION_STEPS);

/**
 * One occurrence of a task (docs/routines.md): begin → deliver to the inbox (and push to the person's devices,
 * beside the wait) → wait for the answer (done / snooze / skip, an Update) within the task's window → finish
 * (outcome, counters, streak) → publish `task.executed`. A snooze is a durable timer, then the reminder is
 * delivered again. Short-lived: between occurrences nothing stays open; the task's state lives in PostgreSQL.
 * Deleting the task cancels the run: it records `cancelled` and delivers nothing more.
 */
export async function taskExecution(input: TaskExecutionInput): Promise<TaskRunResult> {
  const executionId = workflowInfo().workflowId;
  const tracker = new StepTracker(TASK_EXECUTION_STEPS);
  let state: TaskRunState = 'starting';
  let deliveries = 0;
  let snoozes = 0;
  let answer: TaskAnswer | undefined;
  let snoozedUntil: string | undefined;
  let outcome: ExecutionOutcome | undefined;
  setHandler(taskProgressQuery, () => ({
    state,
    deliveries,
    ...(snoozedUntil ? { snoozedUntil } : {}),
    ...(outcome ? { outcome } : {}),
    steps: tracker.steps,
    warnings: tracker.warnings,
  }));

  const scheduledFor = new Date(nominalTime()).toISOString();
  const plan = await tracker.required('begin', () => acts.begin.beginTaskRun({ ...input, executionId, scheduledFor }));
  if (!plan.proceed) {
    tracker.skipRemaining();
    state = 'finished';
    return { executionId, outcome: 'not_run', deliveries: 0 };
  }

  setHandler(
    taskAnswerUpdate,
    ({ action }) => {
      answer = action;
      if (action !== 'snooze') {
        state = 'recording'; // a second answer is refused from here on
        return { executionId, action };
      }
      snoozes++;
      state = 'snoozed';
      snoozedUntil = new Date(Date.now() + plan.snoozeSeconds * 1000).toISOString();
      return { executionId, action, snoozedUntil };
    },
    {
      validator: ({ action }) => {
        if (state !== 'waiting') throw new Error(`this reminder is not waiting for an answer (it is ${state})`);
        if (action === 'snooze' && snoozes >= MAX_SNOOZES)
          throw new Error(`a reminder can be snoozed at most ${MAX_SNOOZES} times`);
      },
    },
  );

  /** Pushes to the person's devices run beside the wait for the answer; each settles before the run records. */
  const pushes: Promise<unknown>[] = [];
  try {
    outcome = await run();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    outcome = 'cancelled';
  }
  await CancellationScope.nonCancellable(() => Promise.all(pushes));
  state = 'recording';
  // Recorded even when the run was cancelled (the task was deleted): the history shows how it ended.
  const recorded = await CancellationScope.nonCancellable(() =>
    tracker.required('finish', () =>
      acts.finish.finishTaskRun({ executionId, taskId: input.taskId, outcome: outcome!, deliveries }),
    ),
  );
  if (outcome !== 'cancelled')
    await CancellationScope.nonCancellable(() =>
      tracker.optional('publish', () =>
        acts.publish.publishTaskExecuted({ executionId, taskId: input.taskId, userId: input.userId }),
      ),
    );
  tracker.skipRemaining();
  state = 'finished';
  // Non-cancellable: after a cancellation (the task was deleted) any cancellable wait would throw at once.
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
  return {
    executionId,
    outcome,
    deliveries,
    streak: recorded.streak,
    ...(recorded.milestone ? { milestone: recorded.milestone } : {}),
  };

  async function run(): Promise<ExecutionOutcome> {
    for (;;) {
      state = 'delivering';
      deliveries++;
      const delivered = await tracker.required('deliver', () =>
        acts.deliver.deliverTaskReminder({
          executionId,
          taskId: input.taskId,
          userId: input.userId,
          category: plan.category,
          delivery: deliveries,
        }),
      );
      if (!delivered) return 'cancelled'; // deleted between begin and delivery
      // Runs started before reminders were pushed replay without this step.
      if (patched('task-reminder-push')) {
        const delivery = deliveries;
        pushes.push(
          tracker
            .optional('push', () =>
              acts.push.pushTaskReminder({
                executionId,
                taskId: input.taskId,
                userId: input.userId,
                category: plan.category,
                delivery,
              }),
            )
            .catch(() => undefined), // a cancellation (the task was deleted) ends the push, not the run
        );
      }
      if (!plan.asksAnswer) return 'delivered';
      answer = undefined;
      snoozedUntil = undefined;
      state = 'waiting';
      if (!(await condition(() => answer !== undefined, plan.windowSeconds * 1000))) return 'missed';
      if (answer === 'done') return 'done';
      if (answer === 'skip') return 'skipped';
      // Snoozed: a durable timer; a worker restart meanwhile resumes it where it was.
      await sleep(plan.snoozeSeconds * 1000);
    }
  }
}
