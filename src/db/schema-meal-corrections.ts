import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Meal corrections (docs/meal-corrections.md), created by migration 0011_meal_corrections. One row per revision:
 * the person's request, its estimate, and the analysis it replaced (revision 1's `replaced` is the original
 * analysis). The corrected analysis is also written to `meal_analyses`, so every reader of a meal's totals (day
 * feedback, weekly insights, exports) sees the corrected numbers without knowing about corrections.
 */
const app = pgSchema('app');

export const mealCorrections = app.table(
  'meal_corrections',
  {
    id: uuid('id').primaryKey(),
    mealId: uuid('meal_id').notNull(),
    userId: text('user_id').notNull(),
    revision: integer('revision').notNull(),
    /** pending (its run is going) | applied | failed */
    status: text('status').notNull(),
    /** The items as the person sent them: `{description}` or `{foodId, amount, unit}`. */
    requestedItems: jsonb('requested_items').notNull(),
    /** The estimate of the requested items, written by the run's estimate step. */
    items: jsonb('items'),
    totals: jsonb('totals'),
    feedback: jsonb('feedback'),
    warnings: jsonb('warnings'),
    confidence: real('confidence'),
    foodTableVersion: text('food_table_version'),
    /** The analysis this revision replaced, captured when it was applied. */
    replaced: jsonb('replaced'),
    correctedBy: text('corrected_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    failureReason: text('failure_reason'),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id'),
  },
  (t) => [
    uniqueIndex('meal_corrections_meal_revision_idx').on(t.mealId, t.revision),
    uniqueIndex('meal_corrections_one_pending_idx')
      .on(t.mealId)
      .where(sql`${t.status} = 'pending'`),
    index('meal_corrections_user_idx').on(t.userId),
  ],
);

/** A week whose meals changed after its insight was computed: stale while `markedAt` is later than `computedAt`. */
export const weeklyInsightStaleMarks = app.table(
  'weekly_insight_stale_marks',
  {
    userId: text('user_id').notNull(),
    /** YYYY-MM-DD, the Monday of the week in the person's insight zone. */
    weekStart: text('week_start').notNull(),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
    /** Why, without health data: e.g. `meal_corrected:<mealId>`. */
    reason: text('reason').notNull(),
  },
  (t) => [primaryKey({ name: 'weekly_insight_stale_marks_pk', columns: [t.userId, t.weekStart] })],
);
