import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { ErasureCounts, ErasureKind, ErasureTrigger } from '../../domain/account/erasure';
import type { Db } from '../client';
import { accountErasures, crisisCases, journalDataKeys, mealAnalyses, mealCorrections, meals, tasks } from '../schema';

export type AccountErasureRow = typeof accountErasures.$inferSelect;

/**
 * The tables erasure empties by `user_id` alone, page by page, in this order (executions before their tasks:
 * a foreign key), with the receipt kind each one counts as. Table names come from this fixed list only.
 */
export const PAGED_TABLES = [
  { kind: 'mealBatches', table: 'meal_batches' },
  { kind: 'insights', table: 'weekly_insights' },
  { kind: 'insightStaleMarks', table: 'weekly_insight_stale_marks' },
  { kind: 'profile', table: 'user_profiles' },
  { kind: 'taskExecutions', table: 'task_executions' },
  { kind: 'inboxMessages', table: 'inbox_messages' },
  { kind: 'tasks', table: 'tasks' },
  { kind: 'subscriptions', table: 'subscriptions' },
  { kind: 'idempotencyRecords', table: 'idempotency_keys' },
  { kind: 'journalEntries', table: 'journal_entries' },
  { kind: 'dataDeletionRecords', table: 'data_deletions' },
] as const satisfies readonly { kind: ErasureKind; table: string }[];
export type PagedTable = (typeof PAGED_TABLES)[number]['table'];

/**
 * Account erasure rows (docs/account-lifecycle.md, Erasure): the mark, the receipt, and the paged deletes. Every
 * delete runs in one transaction with the receipt's count increment for what it deleted, so the counts are
 * exact however often a step is retried or a worker dies: a page either went and was counted, or neither.
 * Every statement is bounded by `user_id = <the person>`: nothing here can reach another person's rows.
 */
export function createAccountErasureRepository(db: Db) {
  /** Adds to the receipt's counts inside `tx` (jsonb: each kind's number summed with what is there). */
  async function count(tx: Db, userId: string, counts: ErasureCounts): Promise<void> {
    const nonzero = Object.entries(counts).filter(([, v]) => v);
    if (nonzero.length === 0) return;
    let expr = sql`${accountErasures.counts}`;
    for (const [k, v] of nonzero) {
      expr = sql`jsonb_set(${expr}, ${`{${k}}`}::text[], to_jsonb(coalesce((${accountErasures.counts} ->> ${k})::int, 0) + ${v}::int))`;
    }
    await tx.update(accountErasures).set({ counts: expr }).where(eq(accountErasures.userId, userId));
  }

  return {
    /** The mark: inserted once (a second trigger finds it and changes nothing). Returns the stored row. */
    async mark(m: { userId: string; workflowId: string; trigger: ErasureTrigger }): Promise<AccountErasureRow> {
      await db.insert(accountErasures).values(m).onConflictDoNothing({ target: accountErasures.userId });
      return (await db.select().from(accountErasures).where(eq(accountErasures.userId, m.userId)))[0]!;
    },
    async get(userId: string): Promise<AccountErasureRow | undefined> {
      return (await db.select().from(accountErasures).where(eq(accountErasures.userId, userId)).limit(1))[0];
    },
    async isErased(userId: string): Promise<boolean> {
      const rows = await db
        .select({ userId: accountErasures.userId })
        .from(accountErasures)
        .where(eq(accountErasures.userId, userId))
        .limit(1);
      return rows.length > 0;
    },
    count: (userId: string, counts: ErasureCounts) => count(db, userId, counts),
    /** Sets one kind's count (for steps that keep their own exact tally in heartbeat details). */
    async setCount(userId: string, kind: ErasureKind, n: number): Promise<void> {
      await db
        .update(accountErasures)
        .set({ counts: sql`jsonb_set(${accountErasures.counts}, ${`{${kind}}`}::text[], to_jsonb(${n}::int))` })
        .where(eq(accountErasures.userId, userId));
    },
    async setRunsClosed(userId: string): Promise<void> {
      await db
        .update(accountErasures)
        .set({ runsClosedAt: new Date() })
        .where(and(eq(accountErasures.userId, userId), isNull(accountErasures.runsClosedAt)));
    },
    async setCrisisCasesRetained(userId: string, n: number): Promise<void> {
      await db.update(accountErasures).set({ crisisCasesRetained: n }).where(eq(accountErasures.userId, userId));
    },
    /** First completion wins: a repeated finish keeps the first time. */
    async complete(userId: string): Promise<AccountErasureRow> {
      await db
        .update(accountErasures)
        .set({ completedAt: new Date() })
        .where(and(eq(accountErasures.userId, userId), isNull(accountErasures.completedAt)));
      return (await db.select().from(accountErasures).where(eq(accountErasures.userId, userId)))[0]!;
    },

    /** The person's crisis cases (kept for the clinical record): what the staff notice needs, ids only. */
    async crisisCases(userId: string) {
      return db
        .select({
          id: crisisCases.id,
          workflowId: crisisCases.workflowId,
          tier: crisisCases.tier,
          level: crisisCases.level,
          status: crisisCases.status,
        })
        .from(crisisCases)
        .where(eq(crisisCases.userId, userId));
    },

    /** The person's task ids (deleted ones too): each may still have a schedule. */
    async taskIds(userId: string): Promise<string[]> {
      return (await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId))).map((r) => r.id);
    },

    /** One page of the person's meals: ids and photo keys. */
    async mealPage(userId: string, limit: number): Promise<{ id: string; imageKey: string | null }[]> {
      return db
        .select({ id: meals.id, imageKey: meals.imageKey })
        .from(meals)
        .where(eq(meals.userId, userId))
        .limit(limit);
    },

    /**
     * For the photo keys of one page of the person's meals: which are still used by another person's meal, and
     * which by one of the person's own meals outside the page (those go with a later page).
     */
    async keyUses(userId: string, keys: string[], pageIds: string[]) {
      const others = new Set<string>();
      const ownLater = new Set<string>();
      if (keys.length === 0) return { others, ownLater };
      const rows = await db
        .selectDistinct({ key: meals.imageKey, own: sql<boolean>`${meals.userId} = ${userId}` })
        .from(meals)
        .where(and(inArray(meals.imageKey, keys), notInArray(meals.id, pageIds)));
      for (const r of rows) (r.own ? ownLater : others).add(r.key!);
      return { others, ownLater };
    },

    /**
     * Deletes the page's meals with their analyses and corrections (recognitions go by cascade) and counts them
     * with the photo files the caller removed for this page, in one transaction.
     */
    async deleteMeals(userId: string, ids: string[], photos: { removed: number; shared: number }): Promise<number> {
      if (ids.length === 0) return 0;
      return db.transaction(async (tx) => {
        const analyses = await tx
          .delete(mealAnalyses)
          .where(inArray(mealAnalyses.mealId, ids))
          .returning({ id: mealAnalyses.mealId });
        const corrections = await tx
          .delete(mealCorrections)
          .where(and(inArray(mealCorrections.mealId, ids), eq(mealCorrections.userId, userId)))
          .returning({ id: mealCorrections.mealId });
        const gone = await tx
          .delete(meals)
          .where(and(inArray(meals.id, ids), eq(meals.userId, userId)))
          .returning({ id: meals.id });
        await count(tx, userId, {
          meals: gone.length,
          mealAnalyses: analyses.length,
          mealCorrections: corrections.length,
          photos: photos.removed,
          photosShared: photos.shared,
        });
        return gone.length;
      });
    },

    /**
     * Destroys the person's journal data key (crypto-shredding) and counts it, in one transaction: a retry
     * finds no row and counts nothing. Every v2 journal text of theirs is unreadable from then on.
     */
    async destroyDataKey(userId: string): Promise<number> {
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(journalDataKeys)
          .where(eq(journalDataKeys.userId, userId))
          .returning({ userId: journalDataKeys.userId });
        await count(tx, userId, { journalDataKeys: gone.length });
        return gone.length;
      });
    },

    /** Deletes up to `limit` of the person's rows of one table and counts them; returns how many went. */
    async deletePage(userId: string, entry: (typeof PAGED_TABLES)[number], limit: number): Promise<number> {
      return db.transaction(async (tx) => {
        const table = sql.raw(`"app"."${entry.table}"`);
        const gone = await tx.execute(sql`
          delete from ${table} where ctid in (select ctid from ${table} where user_id = ${userId} limit ${limit})
          returning 1`);
        await count(tx, userId, { [entry.kind]: gone.length });
        return gone.length;
      });
    },
  };
}

export type AccountErasureRepository = ReturnType<typeof createAccountErasureRepository>;
