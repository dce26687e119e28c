import { and, arrayContains, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { subscriptions, taskTemplates, tasks } from '../schema';
import { nextOccurrence, planForTask } from '../../domain/routines/next-run';
import type { PauseReason, SubscriptionLevel, TaskStatus } from '../../domain/routines/vocabulary';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;
export type TemplateRow = typeof taskTemplates.$inferSelect;
export type TaskPatch = Partial<
  Pick<TaskRow, 'name' | 'config' | 'tags' | 'timezone' | 'dueAt' | 'reminderAt' | 'isCompleted' | 'completedAt'>
>;

/** Tasks, their templates and the subscription level that caps them. Soft-deleted tasks are never listed. */
export function createTaskRepository(db: Db) {
  const live = (userId: string) => and(eq(tasks.userId, userId), isNull(tasks.deletedAt));
  return {
    async templates(): Promise<TemplateRow[]> {
      return db.select().from(taskTemplates).orderBy(asc(taskTemplates.id));
    },
    async template(id: string): Promise<TemplateRow | undefined> {
      return (await db.select().from(taskTemplates).where(eq(taskTemplates.id, id)).limit(1))[0];
    },
    async insert(row: NewTask): Promise<TaskRow> {
      return (await db.insert(tasks).values(row).returning())[0]!;
    },
    async get(id: string): Promise<TaskRow | undefined> {
      return (await db.select().from(tasks).where(eq(tasks.id, id)).limit(1))[0];
    },
    async getOwned(id: string, userId: string): Promise<TaskRow | undefined> {
      return (
        await db
          .select()
          .from(tasks)
          .where(and(eq(tasks.id, id), live(userId)))
          .limit(1)
      )[0];
    },
    /** Newest first by (createdAt, id); `after` is the last row of the previous page. */
    async list(opts: {
      userId: string;
      status?: TaskStatus;
      taskType?: string;
      tag?: string;
      after?: { createdAt: Date; id: string };
      limit: number;
    }): Promise<TaskRow[]> {
      const conds = [live(opts.userId)];
      if (opts.status) conds.push(eq(tasks.status, opts.status));
      if (opts.taskType) conds.push(eq(tasks.taskType, opts.taskType));
      if (opts.tag) conds.push(arrayContains(tasks.tags, [opts.tag]));
      if (opts.after) {
        const at = opts.after.createdAt;
        conds.push(or(lt(tasks.createdAt, at), and(eq(tasks.createdAt, at), lt(tasks.id, opts.after.id)))!);
      }
      return db
        .select()
        .from(tasks)
        .where(and(...conds))
        .orderBy(desc(tasks.createdAt), desc(tasks.id))
        .limit(opts.limit);
    },
    async update(id: string, patch: TaskPatch & { nextRunAt?: Date | null }): Promise<TaskRow | undefined> {
      return (
        await db
          .update(tasks)
          .set({ ...patch, updatedAt: new Date() })
          .where(and(eq(tasks.id, id), isNull(tasks.deletedAt)))
          .returning()
      )[0];
    },
    /** Sets active/paused; returns the rows whose status changed. */
    async setStatus(ids: string[], status: 'active' | 'paused', reason: PauseReason | null): Promise<TaskRow[]> {
      if (ids.length === 0) return [];
      return db
        .update(tasks)
        .set({ status, pausedReason: reason, updatedAt: new Date() })
        .where(
          and(inArray(tasks.id, ids), isNull(tasks.deletedAt), ne(tasks.status, 'deleted'), ne(tasks.status, status)),
        )
        .returning();
    },
    /**
     * Serialises a person's task writes that a cap depends on (create, resume, a level change) until the
     * transaction ends: the count of active tasks and the insert after it then see each other, so two
     * concurrent creates at cap - 1 cannot both pass. Must run inside a transaction (`db` = the tx).
     */
    async lockPerson(userId: string): Promise<void> {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`wellflow.tasks:${userId}`}))`);
    },
    /**
     * Stores when the task fires next (its plan's next occurrence after `nowMs` in its zone; null while
     * paused, deleted or with nothing left to fire), under the row's lock so a concurrent pause or edit
     * is not overwritten with a time computed from the old row. Returns the row.
     */
    async refreshNextRun(id: string, nowMs: number): Promise<TaskRow | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for('update');
        if (!row || row.deletedAt !== null) return row;
        let next: number | undefined;
        if (row.status === 'active') {
          const plan = planForTask({ ...row, reminderAtMs: row.reminderAt?.getTime() ?? null });
          next = plan ? nextOccurrence(plan, nowMs) : undefined;
        }
        const nextRunAt = next === undefined ? null : new Date(next);
        if ((row.nextRunAt?.getTime() ?? null) === (nextRunAt?.getTime() ?? null)) return row;
        return (await tx.update(tasks).set({ nextRunAt }).where(eq(tasks.id, id)).returning())[0];
      });
    },
    /** The create's mark is cleared once the task's schedule is written (migration 0016). */
    async scheduleWritten(id: string): Promise<void> {
      await db
        .update(tasks)
        .set({ schedulePendingSince: null })
        .where(and(eq(tasks.id, id), isNotNull(tasks.schedulePendingSince)));
    },
    /** Tasks whose create left its mark before `before` (the schedule may never have been written), oldest first. */
    async unwrittenSchedules(before: Date, limit: number): Promise<TaskRow[]> {
      return db
        .select()
        .from(tasks)
        .where(lt(tasks.schedulePendingSince, before))
        .orderBy(asc(tasks.schedulePendingSince), asc(tasks.id))
        .limit(limit);
    },
    async softDelete(id: string, userId: string): Promise<TaskRow | undefined> {
      const now = new Date();
      return (
        await db
          .update(tasks)
          .set({ status: 'deleted', deletedAt: now, updatedAt: now, nextRunAt: null })
          .where(and(eq(tasks.id, id), live(userId)))
          .returning()
      )[0];
    },
    async countActive(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(and(live(userId), eq(tasks.status, 'active')));
      return row?.n ?? 0;
    },
    /** Active tasks and tasks paused by the cap: what a cap change may pause or resume. */
    async capped(userId: string) {
      return db
        .select({ id: tasks.id, status: tasks.status, pausedReason: tasks.pausedReason, createdAt: tasks.createdAt })
        .from(tasks)
        .where(and(live(userId), inArray(tasks.status, ['active', 'paused'])));
    },
    /** The person's (not deleted) tasks counted by status and type. */
    async counts(userId: string) {
      return db
        .select({ status: tasks.status, taskType: tasks.taskType, n: sql<number>`count(*)::int` })
        .from(tasks)
        .where(live(userId))
        .groupBy(tasks.status, tasks.taskType);
    },
    async streaks(userId: string) {
      return db
        .select({
          current: tasks.currentStreak,
          best: tasks.bestStreak,
          lastDoneDay: tasks.lastDoneDay,
          timezone: tasks.timezone,
        })
        .from(tasks)
        .where(live(userId));
    },
    async level(userId: string): Promise<SubscriptionLevel> {
      const row = (await db.select().from(subscriptions).where(eq(subscriptions.userId, userId)).limit(1))[0];
      return (row?.level as SubscriptionLevel | undefined) ?? 'free';
    },
    /** Records a level; an announcement older than the stored one changes nothing (events may arrive out of order). */
    async setLevel(userId: string, level: SubscriptionLevel, changedAt: Date): Promise<boolean> {
      const rows = await db
        .insert(subscriptions)
        .values({ userId, level, changedAt })
        .onConflictDoUpdate({
          target: subscriptions.userId,
          set: { level, changedAt },
          setWhere: lte(subscriptions.changedAt, changedAt),
        })
        .returning({ userId: subscriptions.userId });
      return rows.length > 0;
    },
  };
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
