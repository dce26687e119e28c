import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Account erasure (migration 0009_account_erasure, docs/account-lifecycle.md, Erasure). One row per person whose
 * erasure was asked for: the mark the API checks (410 for their token, no new starts) and the receipt kept
 * after the run (trigger, phase times, counts per kind). No personal data beyond the user id it is keyed by.
 */
const app = pgSchema('app');

export const accountErasures = app.table(
  'account_erasures',
  {
    userId: text('user_id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    /** api | admin | event (src/domain/account/erasure.ts). */
    trigger: text('trigger').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    /** When every run of the person had closed (cancelled, or already done). */
    runsClosedAt: timestamp('runs_closed_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Rows and files deleted per kind, incremented in the transaction that deletes them (crash-exact). */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** Crisis cases kept for the clinical record (their timeline stays; the journal text is gone). */
    crisisCasesRetained: integer('crisis_cases_retained').notNull().default(0),
  },
  (t) => [
    index('account_erasures_open_idx')
      .on(t.requestedAt)
      .where(sql`${t.completedAt} is null`),
  ],
);
