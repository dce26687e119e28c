import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { inboxMessages, taskExecutions, tasks } from '../schema';

export type InboxRow = typeof inboxMessages.$inferSelect;

/** The in-app inbox (reminders and milestones) and the analytics read over a person's task runs. */
export function createTaskInboxRepository(db: Db) {
  return {
    async list(userId: string, opts: { unreadOnly: boolean; limit: number; after?: { createdAt: Date; id: string } }) {
      const conds = [eq(inboxMessages.userId, userId)];
      if (opts.unreadOnly) conds.push(isNull(inboxMessages.readAt));
      if (opts.after)
        conds.push(
          or(
            lt(inboxMessages.createdAt, opts.after.createdAt),
            and(eq(inboxMessages.createdAt, opts.after.createdAt), lt(inboxMessages.id, opts.after.id)),
          )!,
        );
      return db
        .select()
        .from(inboxMessages)
        .where(and(...conds))
        .orderBy(desc(inboxMessages.createdAt), desc(inboxMessages.id))
        .limit(opts.limit);
    },
    async unreadCount(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(inboxMessages)
        .where(and(eq(inboxMessages.userId, userId), isNull(inboxMessages.readAt)));
      return row?.n ?? 0;
    },
    /** Marks the given messages (or all, without ids) read; returns how many changed. */
    async markRead(userId: string, ids?: string[]): Promise<number> {
      const conds = [eq(inboxMessages.userId, userId), isNull(inboxMessages.readAt)];
      if (ids) conds.push(inArray(inboxMessages.id, ids));
      const rows = await db
        .update(inboxMessages)
        .set({ readAt: new Date() })
        .where(and(...conds))
        .returning({ id: inboxMessages.id });
      return rows.length;
    },

    /** A person's runs since `from`, grouped for analytics; hours and weekdays are local to `timezone`. */
    async analytics(userId: string, from: Date, timezone: string) {
      const where = and(eq(taskExecutions.userId, userId), sql`${taskExecutions.startedAt} >= ${from.toISOString()}`);
      const local = sql`(${taskExecutions.startedAt} at time zone ${timezone})`;
      const [byStatus, byHour, byDay, byType] = await Promise.all([
        db
          .select({
            status: taskExecutions.status,
            n: sql<number>`count(*)::int`,
            credits: sql<number>`coalesce(sum(${taskExecutions.credits}), 0)::int`,
          })
          .from(taskExecutions)
          .where(where)
          .groupBy(taskExecutions.status),
        db
          .select({ hour: sql<number>`extract(hour from ${local})::int`, n: sql<number>`count(*)::int` })
          .from(taskExecutions)
          .where(where)
          .groupBy(sql`1`),
        db
          .select({ isoDay: sql<number>`extract(isodow from ${local})::int`, n: sql<number>`count(*)::int` })
          .from(taskExecutions)
          .where(where)
          .groupBy(sql`1`),
        db
          .select({ taskType: tasks.taskType, n: sql<number>`count(*)::int` })
          .from(taskExecutions)
          .innerJoin(tasks, eq(tasks.id, taskExecutions.taskId))
          .where(where)
          .groupBy(tasks.taskType),
      ]);
      return { byStatus, byHour, byDay, byType };
    },
  };
}

export type TaskInboxRepository = ReturnType<typeof createTaskInboxRepository>;
