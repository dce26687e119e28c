import { index, integer, jsonb, pgSchema, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Domain data only (architecture principle 1): run status lives in Temporal. `meals.outcome` is the
 * meal's final business outcome, written once by the workflow's last step, so a meal still reads right
 * after Temporal's retention has dropped its run.
 */
export const app = pgSchema('app');

export const meals = app.table(
  'meals',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    description: text('description'),
    eatenAt: timestamp('eaten_at', { withTimezone: true }).notNull(),
    mealType: text('meal_type').notNull(),
    imageKey: text('image_key'),
    workflowId: text('workflow_id').notNull(),
    /** Set when the meal was submitted as part of a batch (its run is a child of the batch's run). */
    batchId: uuid('batch_id'),
    /** Position in the batch as submitted, so a batch lists its meals in the order they were sent. */
    batchIndex: integer('batch_index'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** completed | failed | cancelled, set by the workflow when the run ends; null while it runs. */
    outcome: text('outcome'),
    outcomeReason: text('outcome_reason'),
    /** The run's step progress as it ended (status, attempts, error per step), written with the outcome. */
    steps: jsonb('steps'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('meals_user_eaten_idx').on(t.userId, t.eatenAt.desc(), t.id.desc()), index('meals_batch_idx').on(t.batchId)],
);

/** A batch submission: its meals point at it; its progress lives in the batch workflow. */
export const mealBatches = app.table('meal_batches', {
  id: uuid('id').primaryKey(),
  userId: text('user_id').notNull(),
  workflowId: text('workflow_id').notNull(),
  itemCount: integer('item_count').notNull(),
  concurrency: integer('concurrency').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What feedback needs to personalise daily targets; every field optional (sensible defaults without). */
export const userProfiles = app.table('user_profiles', {
  userId: text('user_id').primaryKey(),
  sex: text('sex'),
  ageYears: integer('age_years'),
  heightCm: real('height_cm'),
  weightKg: real('weight_kg'),
  activity: text('activity'),
  guidelineProfile: text('guideline_profile'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const mealAnalyses = app.table('meal_analyses', {
  mealId: uuid('meal_id')
    .primaryKey()
    .references(() => meals.id, { onDelete: 'cascade' }),
  items: jsonb('items').notNull(),
  totals: jsonb('totals').notNull(),
  feedback: jsonb('feedback').notNull(),
  warnings: jsonb('warnings').notNull(),
  confidence: real('confidence').notNull(),
  foodTableVersion: text('food_table_version').notNull(),
  analyzedAt: timestamp('analyzed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Idempotency-Key records: the same key from the same user returns the same resource. */
export const idempotencyKeys = app.table(
  'idempotency_keys',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    /** Hash of method, route and body: the same key with a different request is a conflict. */
    requestHash: text('request_hash').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_created_idx').on(t.createdAt)],
);
