import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { inboxMessages, taskExecutions, tasks } from '../schema';
import { localDate } from '../../domain/insights/time';
import { composeMilestone } from '../../domain/routines/messages';
import { afterDone } from '../../domain/routines/streak';
import type { ExecutionOutcome, ExecutionTrigger } from '../../domain/routines/vocabulary';

export type ExecutionRow = typeof taskExecutions.$inferSelect;

const COUNTER: Partial<Record<ExecutionOutcome, 'doneCount' | 'skippedCount' | 'missedCount'>> = {
  done: 'doneCount',
  skipped: 'skippedCount',
  missed: 'missedCount',
};

/** Task runs: the row a run opens, its outcome with the task's counters and streak, and the history. */
export function createTaskExecutionRepository(db: Db) {
  return {
    /** Opens the run's row once (a retried begin finds it). */
    async open(row: {
      id: string;
      taskId: string;
      userId: string;
      trigger: ExecutionTrigger;
      scheduledFor: Date;
    }): Promise<ExecutionRow> {
      await db
        .insert(taskExecutions)
        .values({ ...row, status: 'waiting', startedAt: new Date() })
        .onConflictDoNothing();
      return (await db.select().from(taskExecutions).where(eq(taskExecutions.id, row.id)).limit(1))[0]!;
    },

    /**
     * The run's reminder in the inbox, inserted only while the task is not deleted (one statement, so a
     * delete committed before it means no delivery). Keyed by run and delivery: a retry inserts nothing twice.
     * True when the message is there.
     */
    async deliver(m: {
      executionId: string;
      taskId: string;
      userId: string;
      delivery: number;
      title: string;
      body: string;
    }): Promise<boolean> {
      const id = `${m.executionId}:${m.delivery}`;
      const inserted = await db.execute(sql`
        insert into ${inboxMessages} (id, user_id, kind, task_id, execution_id, title, body, created_at)
        select ${id}, ${m.userId}, 'reminder', ${m.taskId}, ${m.executionId}, ${m.title}, ${m.body}, now()
        where exists (select 1 from ${tasks} where ${tasks.id} = ${m.taskId} and ${tasks.deletedAt} is null)
        on conflict (id) do nothing
        returning id`);
      if (inserted.length === 0) {
        const existing = await db.select({ id: inboxMessages.id }).from(inboxMessages).where(eq(inboxMessages.id, id));
        if (existing.length === 0) return false;
      }
      await db
        .update(taskExecutions)
        .set({ deliveries: sql`greatest(${taskExecutions.deliveries}, ${m.delivery})` })
        .where(eq(taskExecutions.id, m.executionId));
      return true;
    },

    /**
     * Records the outcome once (the first one wins; a retry returns what was recorded) with the task's
     * counters, last run, streak and, when the streak reaches a milestone, the milestone message: one transaction.
     */
    async finish(input: {
      executionId: string;
      outcome: ExecutionOutcome;
      deliveries: number;
    }): Promise<{ streak: number; milestone?: number }> {
      return db.transaction(async (tx) => {
        const [exec] = await tx
          .select()
          .from(taskExecutions)
          .where(eq(taskExecutions.id, input.executionId))
          .for('update');
        if (!exec) throw new Error(`execution ${input.executionId} was never opened`);
        const [task] = await tx.select().from(tasks).where(eq(tasks.id, exec.taskId)).for('update');
        if (!task) throw new Error(`task of execution ${input.executionId} is missing`);
        if (exec.status !== 'waiting') return { streak: task.currentStreak };
        const now = new Date();
        const charged = input.outcome !== 'cancelled' && input.deliveries > 0;
        const credits = charged ? task.creditsPerRun : 0;
        await tx
          .update(taskExecutions)
          .set({
            status: input.outcome,
            finishedAt: now,
            durationMs: now.getTime() - exec.startedAt.getTime(),
            credits,
            deliveries: Math.max(exec.deliveries, input.deliveries),
          })
          .where(eq(taskExecutions.id, exec.id));
        const counter = COUNTER[input.outcome];
        const set: Partial<typeof tasks.$inferInsert> = {
          runCount: task.runCount + (charged ? 1 : 0),
          creditsUsed: task.creditsUsed + credits,
          lastRunAt: exec.startedAt,
          ...(counter ? { [counter]: task[counter] + 1 } : {}),
        };
        let milestone: number | undefined;
        let streak = task.currentStreak;
        if (input.outcome === 'done') {
          // The occurrence's own day in the task's zone: a 23:30 reminder done at 00:10 counts for its day.
          const next = afterDone(
            { current: task.currentStreak, best: task.bestStreak, lastDoneDay: task.lastDoneDay },
            localDate(exec.scheduledFor.getTime(), task.timezone),
          );
          Object.assign(set, { currentStreak: next.current, bestStreak: next.best, lastDoneDay: next.lastDoneDay });
          if (task.taskType === 'todo') Object.assign(set, { isCompleted: true, completedAt: now });
          streak = next.current;
          if ('milestone' in next && next.milestone) {
            milestone = next.milestone;
            const m = composeMilestone(milestone);
            await tx
              .insert(inboxMessages)
              .values({
                id: `milestone:${task.id}:${next.lastDoneDay}:${milestone}`,
                userId: task.userId,
                kind: 'milestone',
                taskId: task.id,
                executionId: exec.id,
                title: m.title,
                body: m.body,
                createdAt: now,
              })
              .onConflictDoNothing();
          }
        }
        await tx.update(tasks).set(set).where(eq(tasks.id, task.id));
        return milestone ? { streak, milestone } : { streak };
      });
    },

    async get(id: string): Promise<ExecutionRow | undefined> {
      return (await db.select().from(taskExecutions).where(eq(taskExecutions.id, id)).limit(1))[0];
    },

    /** Runs of a task still open (their workflow ids): what a delete cancels. */
    async waiting(taskId: string): Promise<string[]> {
      const rows = await db
        .select({ id: taskExecutions.id })
        .from(taskExecutions)
        .where(and(eq(taskExecutions.taskId, taskId), eq(taskExecutions.status, 'waiting')));
      return rows.map((r) => r.id);
    },

    /** A task's runs, newest first by (startedAt, id). */
    async list(taskId: string, limit: number, after?: { startedAt: Date; id: string }): Promise<ExecutionRow[]> {
      const conds = [eq(taskExecutions.taskId, taskId)];
      if (after)
        conds.push(
          or(
            lt(taskExecutions.startedAt, after.startedAt),
            and(eq(taskExecutions.startedAt, after.startedAt), lt(taskExecutions.id, after.id)),
          )!,
        );
      return db
        .select()
        .from(taskExecutions)
        .where(and(...conds))
        .orderBy(desc(taskExecutions.startedAt), desc(taskExecutions.id))
        .limit(limit);
    },
  };
}

export type TaskExecutionRepository = ReturnType<typeof createTaskExecutionRepository>;
