import fs from 'node:fs/promises';
import path from 'node:path';
import { and, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accountExports } from '../schema';
import { exportFileNames } from '../../domain/account/export-files';

export type AccountExportRow = typeof accountExports.$inferSelect;

/** Where export archives live: <data dir>/exports. */
export const exportsDirOf = (dataDir: string) => path.join(path.resolve(dataDir), 'exports');

/**
 * Account export rows and their archive files (docs/account-lifecycle.md, Export). Every write is conditional on
 * the row's state, so a retried step changes nothing twice.
 */
export function createAccountExportRepository(db: Db, exportsDir: string) {
  /** Removes every file an export may have (archive, half-written archive, staging folder); missing is fine. */
  async function removeFiles(exportId: string): Promise<number> {
    let removed = 0;
    for (const name of exportFileNames(exportId)) {
      const target = path.join(exportsDir, name);
      const existed = await fs.stat(target).then(
        () => true,
        () => false,
      );
      await fs.rm(target, { recursive: true, force: true });
      if (existed) removed++;
    }
    return removed;
  }

  async function get(id: string): Promise<AccountExportRow | undefined> {
    const rows = await db.select().from(accountExports).where(eq(accountExports.id, id)).limit(1);
    return rows[0];
  }

  return {
    exportsDir,
    removeFiles,
    get,

    /**
     * Opens a running export for the person unless one is already running (one at a time: a partial unique
     * index). Returns the running row either way and whether it is the one just created.
     */
    async claim(input: { id: string; userId: string; workflowId: string }) {
      const inserted = await db
        .insert(accountExports)
        .values({ ...input, status: 'running' })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { row: inserted[0], created: true };
      const [running] = await db
        .select()
        .from(accountExports)
        .where(and(eq(accountExports.userId, input.userId), eq(accountExports.status, 'running')))
        .limit(1);
      // The running one finished between the insert and this read: the caller may simply try again.
      return running ? { row: running, created: false } : undefined;
    },

    /** The person's exports, newest first. */
    async listForUser(userId: string, limit = 20): Promise<AccountExportRow[]> {
      return db
        .select()
        .from(accountExports)
        .where(eq(accountExports.userId, userId))
        .orderBy(desc(accountExports.createdAt))
        .limit(limit);
    },

    /** Deletes a claim whose run could not be started (so the person can ask again). */
    async unclaim(id: string): Promise<void> {
      await db.delete(accountExports).where(and(eq(accountExports.id, id), eq(accountExports.status, 'running')));
    },

    /** Running → completed with its file; a second call (a retried step) changes nothing. */
    async complete(
      id: string,
      done: { fileName: string; sizeBytes: number; counts: Record<string, number>; expiresAt: Date },
    ): Promise<AccountExportRow | undefined> {
      await db
        .update(accountExports)
        .set({ ...done, status: 'completed', completedAt: new Date() })
        .where(and(eq(accountExports.id, id), eq(accountExports.status, 'running')));
      return get(id);
    },

    /** Running → failed (first outcome wins). */
    async fail(id: string): Promise<void> {
      await db
        .update(accountExports)
        .set({ status: 'failed', completedAt: new Date() })
        .where(and(eq(accountExports.id, id), eq(accountExports.status, 'running')));
    },

    /**
     * Stores the hash of a new download token for a ready, unexpired archive of the person, replacing (and so
     * invalidating) any earlier link. False when there is nothing to download.
     */
    async issueToken(id: string, userId: string, tokenHash: string, tokenExpiresAt: Date): Promise<boolean> {
      const rows = await db
        .update(accountExports)
        .set({ tokenHash, tokenExpiresAt, tokenUsedAt: null })
        .where(
          and(
            eq(accountExports.id, id),
            eq(accountExports.userId, userId),
            eq(accountExports.status, 'completed'),
            isNull(accountExports.fileDeletedAt),
            sql`${accountExports.expiresAt} > now()`,
          ),
        )
        .returning({ id: accountExports.id });
      return rows.length > 0;
    },

    /**
     * Uses a download token up: one statement, so two downloads racing with one link get one archive. Returns
     * the row when the token was valid and unused; otherwise `found` says whether the token ever existed
     * (used or expired: 410) or not (404).
     */
    async useToken(exportId: string, tokenHash: string): Promise<{ row?: AccountExportRow; found: boolean }> {
      const rows = await db
        .update(accountExports)
        .set({ tokenUsedAt: new Date(), downloadedAt: sql`coalesce(${accountExports.downloadedAt}, now())` })
        .where(
          and(
            eq(accountExports.id, exportId),
            eq(accountExports.tokenHash, tokenHash),
            isNull(accountExports.tokenUsedAt),
            sql`${accountExports.tokenExpiresAt} > now()`,
            isNull(accountExports.fileDeletedAt),
          ),
        )
        .returning();
      if (rows[0]) return { row: rows[0], found: true };
      const [seen] = await db
        .select({ id: accountExports.id })
        .from(accountExports)
        .where(and(eq(accountExports.id, exportId), eq(accountExports.tokenHash, tokenHash)))
        .limit(1);
      return { found: seen !== undefined };
    },

    /** Archives past their expiry whose file is still on disk, oldest first (the cleanup job's page). */
    async expired(now: Date, limit: number): Promise<AccountExportRow[]> {
      return db
        .select()
        .from(accountExports)
        .where(
          and(
            isNotNull(accountExports.fileName),
            isNull(accountExports.fileDeletedAt),
            lt(accountExports.expiresAt, now),
          ),
        )
        .orderBy(accountExports.expiresAt)
        .limit(limit);
    },

    /** Deletes an expired archive's files and records it on the row (the row stays: "your export expired"). */
    async expire(id: string): Promise<void> {
      await removeFiles(id);
      await db
        .update(accountExports)
        .set({ fileDeletedAt: new Date() })
        .where(and(eq(accountExports.id, id), isNull(accountExports.fileDeletedAt)));
    },

    /**
     * Erasure: deletes every export of the person, files first, then rows. Idempotent: a second call finds
     * nothing. Returns how many rows and files went. Never touches another person's exports (by user id).
     * A run still writing an archive must be cancelled first, or it may write its file after this.
     */
    async deleteExportsForUser(userId: string): Promise<{ rows: number; files: number }> {
      const owned = await db
        .select({ id: accountExports.id })
        .from(accountExports)
        .where(eq(accountExports.userId, userId));
      let files = 0;
      for (const { id } of owned) files += await removeFiles(id);
      const deleted = await db
        .delete(accountExports)
        .where(eq(accountExports.userId, userId))
        .returning({ id: accountExports.id });
      return { rows: deleted.length, files };
    },
  };
}

export type AccountExportRepository = ReturnType<typeof createAccountExportRepository>;
