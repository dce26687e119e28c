import { ApplicationFailure } from '@temporalio/activity';
import { NotifyError } from '../adapters/notify/types';
import type { ReminderChannel } from '../adapters/notify/reminders';
import { createEventPublisher, type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent } from '../adapters/events/schema';
import type { TaskExecutionInput, TaskRunPlan } from '../contracts/task-execution';
import type { TaskExecutionRepository } from '../db/repositories/tasks-executions';
import type { TaskRepository } from '../db/repositories/tasks';
import { composeReminder } from '../domain/routines/messages';
import type { ExecutionOutcome, ExecutionStatus, ExecutionTrigger } from '../domain/routines/vocabulary';
import type { Logger } from '../logger';

export interface TaskActivityDeps {
  tasks: TaskRepository;
  executions: TaskExecutionRepository;
  logger: Logger;
  /** How long a snooze lasts (TASK_SNOOZE_SECONDS: 600 in production, seconds in tests). */
  snoozeSeconds: number;
  events?: EventPublisher;
  /** The person's device channels (push gateway webhook, NATS); absent: reminders reach the inbox only. */
  reminders?: ReminderChannel;
  /** Base URL of the API: a pushed reminder links to <url>/v1/me/inbox. */
  publicUrl: string;
}

/** Without a window in its config a task waits an hour for its answer. */
const DEFAULT_WINDOW_MINUTES = 60;

/** The steps of a task run (src/workflows/task-execution.ts): thin, idempotent, keyed by the run's id. */
export function createTaskActivities(deps: TaskActivityDeps) {
  const events = deps.events ?? createEventPublisher(undefined, deps.logger);
  return {
    /**
     * Reads the task and opens the run's execution row, and moves the task's nextRunAt past this occurrence;
     * a deleted (or paused, when scheduled) task does not run.
     */
    async beginTaskRun(
      input: TaskExecutionInput & { executionId: string; scheduledFor: string },
    ): Promise<TaskRunPlan> {
      const task = await deps.tasks.get(input.taskId);
      if (!task || task.userId !== input.userId)
        throw ApplicationFailure.nonRetryable(`task ${input.taskId} does not exist`, 'TaskNotFound');
      const window = (task.config as { windowMinutes?: number }).windowMinutes ?? DEFAULT_WINDOW_MINUTES;
      const plan: TaskRunPlan = {
        proceed: task.deletedAt === null && (task.status === 'active' || input.trigger === 'manual'),
        category: task.category,
        asksAnswer: task.asksAnswer,
        windowSeconds: window * 60,
        snoozeSeconds: deps.snoozeSeconds,
        credits: task.creditsPerRun,
        timezone: task.timezone,
      };
      if (!plan.proceed) return plan;
      await deps.executions.open({
        id: input.executionId,
        taskId: task.id,
        userId: task.userId,
        trigger: input.trigger,
        scheduledFor: new Date(input.scheduledFor),
      });
      // The occurrence that started this run is past: the task now shows the one after it.
      await deps.tasks.refreshNextRun(task.id, Date.now());
      return plan;
    },

    /** Puts the reminder in the person's inbox (category wording only); false when the task was deleted. */
    async deliverTaskReminder(input: {
      executionId: string;
      taskId: string;
      userId: string;
      category: string;
      delivery: number;
    }): Promise<boolean> {
      const delivered = await deps.executions.deliver({ ...input, ...composeReminder(input.category, input.delivery) });
      deps.logger.info(
        { executionId: input.executionId, taskId: input.taskId, delivery: input.delivery, delivered },
        'task reminder',
      );
      return delivered;
    },

    /**
     * The delivered reminder to the person's devices through every configured channel (at-least-once, id
     * `<executionId>:<delivery>` like its inbox message). A channel that refuses it for good (4xx, a
     * redirect) is not retried: ReminderRejected. Returns the channels it went to.
     */
    async pushTaskReminder(input: {
      executionId: string;
      taskId: string;
      userId: string;
      category: string;
      delivery: number;
    }): Promise<{ channels: string[] }> {
      if (!deps.reminders) return { channels: [] };
      try {
        await deps.reminders.notify({
          event: 'task.reminder',
          notificationId: `${input.executionId}:${input.delivery}`,
          userId: input.userId,
          taskId: input.taskId,
          executionId: input.executionId,
          delivery: input.delivery,
          ...composeReminder(input.category, input.delivery),
          link: `${deps.publicUrl}/v1/me/inbox`,
          occurredAt: new Date().toISOString(),
        });
      } catch (err) {
        if (err instanceof NotifyError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'ReminderRejected');
        throw err;
      }
      return { channels: deps.reminders.kind.split('+') };
    },

    async finishTaskRun(input: {
      executionId: string;
      taskId: string;
      outcome: ExecutionOutcome;
      deliveries: number;
    }): Promise<{ streak: number; milestone?: number }> {
      const out = await deps.executions.finish(input);
      // Again at the end: an occurrence skipped while this run waited (overlap SKIP) is past too.
      await deps.tasks.refreshNextRun(input.taskId, Date.now());
      deps.logger.info(
        { executionId: input.executionId, taskId: input.taskId, outcome: input.outcome, milestone: out.milestone },
        'task run finished',
      );
      return out;
    },

    /** `wellflow.task.executed` (ids and the outcome only), id `task.executed:<executionId>`: one per run. */
    async publishTaskExecuted(input: { executionId: string; taskId: string; userId: string }): Promise<void> {
      const row = await deps.executions.get(input.executionId);
      if (!row || !row.finishedAt) throw new Error(`execution ${input.executionId} has no recorded outcome yet`);
      const event = buildDomainEvent(
        'task.executed',
        {
          taskId: row.taskId,
          userId: row.userId,
          executionId: row.id,
          outcome: row.status as ExecutionStatus,
          trigger: row.trigger as ExecutionTrigger,
        },
        { key: row.id, time: row.finishedAt.toISOString() },
      );
      await publishDomainEvent(events, event);
    },
  };
}

export type TaskActivities = ReturnType<typeof createTaskActivities>;
