import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Account export archives (migration 0010_account_export, docs/account-lifecycle.md). The row is the business
 * record the export run's own steps write: ready or failed, where the file is, when it expires, and the hash of
 * the current one-time download token. The run's live progress is read from Temporal.
 */
const app = pgSchema('app');

export const accountExports = app.table(
  'account_exports',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    /** running | completed | failed (src/domain/account/export-status.ts). */
    status: text('status').notNull(),
    /** The archive's file name inside <data dir>/exports, once written. */
    fileName: text('file_name'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    /** Rows and files per kind in the archive (numbers only, no personal data). */
    counts: jsonb('counts'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** 24 h after completion: the cleanup job deletes the file then. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    fileDeletedAt: timestamp('file_deleted_at', { withTimezone: true }),
    /** SHA-256 (hex) of the current download token: a new link replaces it, a download uses it up. */
    tokenHash: text('token_hash'),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    tokenUsedAt: timestamp('token_used_at', { withTimezone: true }),
    /** The first download. */
    downloadedAt: timestamp('downloaded_at', { withTimezone: true }),
  },
  (t) => [
    index('account_exports_user_idx').on(t.userId, t.createdAt.desc()),
    uniqueIndex('account_exports_one_running_idx')
      .on(t.userId)
      .where(sql`${t.status} = 'running'`),
    uniqueIndex('account_exports_token_idx').on(t.tokenHash),
    index('account_exports_expiring_idx')
      .on(t.expiresAt)
      .where(sql`${t.fileName} is not null and ${t.fileDeletedAt} is null`),
  ],
);
