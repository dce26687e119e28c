import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { taskAnswerUpdate } from '../../contracts/task-execution';
import type { Database } from '../../db/client';
import { createTaskRepository } from '../../db/repositories/tasks';
import { createTaskExecutionRepository } from '../../db/repositories/tasks-executions';
import { createTaskInboxRepository } from '../../db/repositories/tasks-inbox';
import { localDate } from '../../domain/insights/time';
import { streakOn } from '../../domain/routines/streak';
import type { TaskAnswer } from '../../domain/routines/vocabulary';
import { WEEKDAYS } from '../../domain/weekdays';
import { createProfileRepository } from '../../db/repositories/profiles';
import { startWorkflow, TEMPORAL_UPDATE_DEADLINE_MS, withTemporalDeadline } from '../../temporal/workflow-client';
import { taskExecution } from '../../workflows/task-execution';
import { isUuid } from '../schemas/common';
import { AppError, notFound } from '../errors';
import { decodeCursor, encodeCursor, executionView } from './tasks-view';

/** A task's runs: run now, answer a waiting reminder, the history and the analytics over it. */
export function createTaskRunService(deps: { database: Database; temporal: Client }) {
  const tasks = createTaskRepository(deps.database.db);
  const executions = createTaskExecutionRepository(deps.database.db);
  const inbox = createTaskInboxRepository(deps.database.db);
  const profiles = createProfileRepository(deps.database.db);

  async function owned(userId: string, id: string) {
    const row = isUuid(id) ? await tasks.getOwned(id, userId) : undefined;
    if (!row) throw notFound('task', id);
    return row;
  }

  const notWaiting = (msg: string) => new AppError('conflict', 'execution_not_waiting', msg);

  return {
    /** Runs the task now (even while paused); the same Idempotency-Key is the same run. */
    async execute(userId: string, taskId: string, idempotencyKey?: string) {
      await owned(userId, taskId);
      const runKey = idempotencyKey ? Buffer.from(idempotencyKey).toString('base64url').slice(0, 80) : randomUUID();
      const started = await startWorkflow(deps.temporal, taskExecution, {
        taskId,
        userId,
        trigger: 'manual',
        runKey,
      });
      return {
        executionId: started.workflowId,
        workflowId: started.workflowId,
        alreadyStarted: started.alreadyStarted,
      };
    },

    /** Done / snooze / skip for a waiting run: the workflow's validator decides (409 when it is not waiting). */
    async answer(userId: string, taskId: string, executionId: string, action: TaskAnswer) {
      await owned(userId, taskId);
      const row = await executions.get(executionId);
      if (!row || row.taskId !== taskId) throw notFound('execution', executionId);
      if (row.status !== 'waiting') throw notWaiting(`This run already ended (${row.status})`);
      try {
        return await withTemporalDeadline(
          deps.temporal,
          () => deps.temporal.workflow.getHandle(executionId).executeUpdate(taskAnswerUpdate, { args: [{ action }] }),
          TEMPORAL_UPDATE_DEADLINE_MS,
        );
      } catch (e) {
        if (e instanceof WorkflowUpdateFailedError)
          throw notWaiting((e.cause as Error | undefined)?.message ?? 'This run is not waiting for an answer');
        if (e instanceof WorkflowNotFoundError) throw notWaiting('This run already ended');
        throw e;
      }
    },

    async executions(userId: string, taskId: string, q: { cursor?: string; limit: number }) {
      await owned(userId, taskId);
      const after = q.cursor ? decodeCursor(q.cursor, false) : undefined;
      const rows = await executions.list(taskId, q.limit, after && { startedAt: after.at, id: after.id });
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return { items: rows.map(executionView), nextCursor: last ? encodeCursor(last.startedAt, last.id) : null };
    },

    /** Counts, success rate, credits, busiest hours and weekdays (in the person's zone) and streaks. */
    async analytics(userId: string, days: number) {
      const timezone = (await profiles.get(userId))?.timezone ?? 'UTC';
      const now = Date.now();
      const from = new Date(now - days * 86_400_000);
      const [runs, taskCounts, streaks] = await Promise.all([
        inbox.analytics(userId, from, timezone),
        tasks.counts(userId),
        tasks.streaks(userId),
      ]);
      const count = (rows: { key: string; n: number }[]) =>
        rows.map((r) => ({ key: r.key, count: r.n })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
      const total = runs.byStatus.reduce((s, r) => s + r.n, 0);
      const ended = runs.byStatus.filter((r) => !['waiting', 'cancelled'].includes(r.status));
      const endedTotal = ended.reduce((s, r) => s + r.n, 0);
      const done = runs.byStatus.find((r) => r.status === 'done')?.n ?? 0;
      return {
        days,
        timezone,
        tasks: {
          byStatus: count(aggregate(taskCounts.map((r) => ({ key: r.status, n: r.n })))),
          byType: count(aggregate(taskCounts.map((r) => ({ key: r.taskType, n: r.n })))),
        },
        executions: {
          total,
          byStatus: count(runs.byStatus.map((r) => ({ key: r.status, n: r.n }))),
          byType: count(runs.byType.map((r) => ({ key: r.taskType, n: r.n }))),
          successRate: endedTotal ? Math.round((done / endedTotal) * 1000) / 1000 : null,
          creditsConsumed: runs.byStatus.reduce((s, r) => s + r.credits, 0),
        },
        busiestHours: runs.byHour
          .map((r) => ({ hour: r.hour, count: r.n }))
          .sort((a, b) => b.count - a.count || a.hour - b.hour),
        busiestDays: runs.byDay
          .map((r) => ({ day: WEEKDAYS[r.isoDay - 1] ?? 'monday', count: r.n }))
          .sort((a, b) => b.count - a.count),
        streaks: {
          // Each streak counts days in its task's zone, so "today" is that zone's date too.
          current: Math.max(0, ...streaks.map((s) => streakOn(s, localDate(now, s.timezone)))),
          best: Math.max(0, ...streaks.map((s) => s.best)),
        },
      };
    },
  };
}

/** Sums rows sharing a key. */
function aggregate(rows: { key: string; n: number }[]) {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.key, (by.get(r.key) ?? 0) + r.n);
  return [...by.entries()].map(([key, n]) => ({ key, n }));
}

export type TaskRunService = ReturnType<typeof createTaskRunService>;
