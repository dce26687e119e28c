import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import { quoteIdent } from '../sql';
import type { TableStats } from '../../domain/maintenance/types';
import { type Database, unboundedStatement } from '../client';
import { dataDeletions, idempotencyKeys, journalEntries, maintenanceRuns, meals } from '../schema';

export type MaintenanceRunRow = typeof maintenanceRuns.$inferSelect;
export type DeletionKind = 'meal_image' | 'journal_text';
export type RunStatus = 'running' | 'completed' | 'failed';

/** The schema every maintained table lives in (see schema.ts: pgSchema('app')). */
const APP_SCHEMA = 'app';

/**
 * SQL of the maintenance jobs. Every write is bounded (`limit` rows per call) and idempotent, because
 * activities are retried and a pass may stop halfway: running a statement twice leaves the same state.
 */
export function createMaintenanceRepository(database: Database) {
  const { db } = database;
  return {
    /** The run's row, once: a retried start leaves the first start time. */
    async startRun(r: { runId: string; workflowId: string; job: string }): Promise<void> {
      await db
        .insert(maintenanceRuns)
        .values({ ...r, status: 'running' })
        .onConflictDoNothing({ target: maintenanceRuns.runId });
    },

    /** Upsert, so a run whose start step never got through still leaves a record of how it ended. */
    async finishRun(r: {
      runId: string;
      workflowId: string;
      job: string;
      status: RunStatus;
      result: unknown;
    }): Promise<void> {
      const finishedAt = new Date();
      await db
        .insert(maintenanceRuns)
        .values({ ...r, finishedAt })
        .onConflictDoUpdate({ target: maintenanceRuns.runId, set: { status: r.status, result: r.result, finishedAt } });
    },

    async getRun(runId: string): Promise<MaintenanceRunRow | undefined> {
      return (await db.select().from(maintenanceRuns).where(eq(maintenanceRuns.runId, runId)).limit(1))[0];
    },

    // ---- cleanup -------------------------------------------------------------------------------------

    /** Deletes up to `limit` idempotency records created before `cutoff`; returns how many. */
    async deleteExpiredIdempotencyKeys(cutoff: Date, limit: number): Promise<number> {
      const batch = db
        .select({ userId: idempotencyKeys.userId, key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(lt(idempotencyKeys.createdAt, cutoff))
        .limit(limit);
      const rows = await db
        .delete(idempotencyKeys)
        .where(
          and(
            sql`(${idempotencyKeys.userId}, ${idempotencyKeys.key}) in (${batch})`,
            lt(idempotencyKeys.createdAt, cutoff),
          ),
        )
        .returning({ key: idempotencyKeys.key });
      return rows.length;
    },

    /** Which of `keys` some meal still refers to (any meal: an upload is in use once a meal points at it). */
    async referencedImageKeys(keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db.selectDistinct({ key: meals.imageKey }).from(meals).where(inArray(meals.imageKey, keys));
      return new Set(rows.map((r) => r.key!));
    },

    /**
     * Meals with no outcome created before `cutoff`, in id order after `afterId` (keyset: rows whose run is
     * cancelled stay open until their workflow closes them, so the set does not shrink under us).
     */
    async stuckMeals(cutoff: Date, afterId: string | undefined, limit: number) {
      return db
        .select({ id: meals.id, userId: meals.userId, workflowId: meals.workflowId })
        .from(meals)
        .where(and(isNull(meals.outcome), lt(meals.createdAt, cutoff), afterId ? gt(meals.id, afterId) : undefined))
        .orderBy(asc(meals.id))
        .limit(limit);
    },

    /** Fails meals whose run is gone; first outcome wins, as in the meal repository's close. Returns how many. */
    async closeAbandonedMeals(ids: string[], reason: string): Promise<number> {
      if (ids.length === 0) return 0;
      const rows = await db
        .update(meals)
        .set({ outcome: 'failed', outcomeReason: reason, closedAt: new Date() })
        .where(and(inArray(meals.id, ids), isNull(meals.outcome)))
        .returning({ id: meals.id });
      return rows.length;
    },

    // ---- retention -----------------------------------------------------------------------------------

    /** Up to `limit` meals created before `cutoff` that still have a photo, oldest first. */
    async expiredMealImages(cutoff: Date, limit: number) {
      const rows = await db
        .select({ id: meals.id, userId: meals.userId, imageKey: meals.imageKey })
        .from(meals)
        .where(and(isNotNull(meals.imageKey), lt(meals.createdAt, cutoff)))
        .orderBy(asc(meals.createdAt), asc(meals.id))
        .limit(limit);
      return rows.map((r) => ({ id: r.id, userId: r.userId, imageKey: r.imageKey! }));
    },

    /**
     * Which of `keys` a meal outside `mealIds` still refers to: content addressing means two meals with the
     * same photo share one file, and the newer one keeps it.
     */
    async keysReferencedOutside(keys: string[], mealIds: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectDistinct({ key: meals.imageKey })
        .from(meals)
        .where(and(inArray(meals.imageKey, keys), mealIds.length ? notInArray(meals.id, mealIds) : undefined));
      return new Set(rows.map((r) => r.key!));
    },

    /**
     * Drops the meals' photo references and records one deletion per meal, in one transaction: a meal is
     * either untouched or both cleared and recorded. Returns how many meals were cleared now.
     */
    async markMealImagesDeleted(rows: { id: string }[], runId: string): Promise<number> {
      if (rows.length === 0) return 0;
      return db.transaction(async (tx) => {
        const cleared = await tx
          .update(meals)
          .set({ imageKey: null, imageDeletedAt: new Date() })
          .where(
            and(
              inArray(
                meals.id,
                rows.map((r) => r.id),
              ),
              isNotNull(meals.imageKey),
            ),
          )
          .returning({ id: meals.id, userId: meals.userId });
        if (cleared.length) {
          await tx
            .insert(dataDeletions)
            .values(
              cleared.map((m) => ({ id: randomUUID(), runId, kind: 'meal_image', resourceId: m.id, userId: m.userId })),
            )
            .onConflictDoNothing({ target: [dataDeletions.kind, dataDeletions.resourceId] });
        }
        return cleared.length;
      });
    },

    /**
     * Deletes the text of up to `limit` journal entries created before `cutoff` and records each deletion,
     * in one transaction. Mood, screening and crisis cases stay: they are the aggregates. Returns how many.
     */
    async expireJournalTexts(cutoff: Date, limit: number, runId: string): Promise<number> {
      return db.transaction(async (tx) => {
        const batch = tx
          .select({ id: journalEntries.id })
          .from(journalEntries)
          .where(and(isNotNull(journalEntries.textEncrypted), lt(journalEntries.createdAt, cutoff)))
          .orderBy(asc(journalEntries.createdAt), asc(journalEntries.id))
          .limit(limit);
        const cleared = await tx
          .update(journalEntries)
          .set({ textEncrypted: null, textDeletedAt: new Date() })
          .where(and(inArray(journalEntries.id, batch), isNotNull(journalEntries.textEncrypted)))
          .returning({ id: journalEntries.id, userId: journalEntries.userId });
        if (cleared.length) {
          await tx
            .insert(dataDeletions)
            .values(
              cleared.map((j) => ({
                id: randomUUID(),
                runId,
                kind: 'journal_text',
                resourceId: j.id,
                userId: j.userId,
              })),
            )
            .onConflictDoNothing({ target: [dataDeletions.kind, dataDeletions.resourceId] });
        }
        return cleared.length;
      });
    },

    /** How many items of `kind` a run has deleted: the exact count even if a pass's result was lost to a retry. */
    async deletionsForRun(runId: string, kind: DeletionKind): Promise<number> {
      const rows = await db
        .select({ n: count() })
        .from(dataDeletions)
        .where(and(eq(dataDeletions.runId, runId), eq(dataDeletions.kind, kind)));
      return rows[0]?.n ?? 0;
    },

    // ---- database --------------------------------------------------------------------------------------

    async appTables(): Promise<string[]> {
      const rows = await database.sql<
        { tablename: string }[]
      >`select tablename from pg_tables where schemaname = ${APP_SCHEMA} order by tablename`;
      return rows.map((r) => r.tablename);
    },

    /** Live/dead tuples and last manual vacuum (pg_stat_user_tables) and total size of one app table. */
    async tableStats(table: string): Promise<TableStats> {
      // The timestamp is formatted in SQL: drizzle's driver setup hands timestamps over as raw text.
      const rows = await database.sql<
        { live: string | null; dead: string | null; bytes: string; last_vacuum: string | null }[]
      >`
        select s.n_live_tup as live, s.n_dead_tup as dead,
               to_char(s.last_vacuum at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_vacuum,
               pg_total_relation_size(format('%I.%I', t.schemaname, t.tablename)::regclass) as bytes
        from pg_tables t
        left join pg_stat_user_tables s on s.schemaname = t.schemaname and s.relname = t.tablename
        where t.schemaname = ${APP_SCHEMA} and t.tablename = ${table}`;
      const r = rows[0];
      if (!r) throw new Error(`table ${APP_SCHEMA}.${table} does not exist`);
      // int8 arrives as a string (it may exceed 2^53); these counts and sizes do not.
      return {
        liveTuples: Number(r.live ?? 0),
        deadTuples: Number(r.dead ?? 0),
        totalBytes: Number(r.bytes),
        lastVacuum: r.last_vacuum,
      };
    },

    /**
     * VACUUM (ANALYZE) one table. VACUUM refuses to run inside a transaction block, so this is one plain
     * statement on a connection reserved from the pool (autocommit), never inside `db.transaction`.
     */
    async vacuum(table: string): Promise<void> {
      // Without the pool's statement_timeout (src/db/client.ts): a large table's VACUUM may take minutes, and
      // the activity heartbeats meanwhile.
      await unboundedStatement(database, (sql) =>
        sql.unsafe(`VACUUM (ANALYZE) ${quoteIdent(APP_SCHEMA)}.${quoteIdent(table)}`),
      );
    },
  };
}

export type MaintenanceRepository = ReturnType<typeof createMaintenanceRepository>;
