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
 * Domain data (docs/architecture.md, principle 1). A run's live status is read from Temporal while it runs;
 * what stays here after it ends is the business record: `meals.outcome`, `steps` and warnings are written
 * once by the meal's close step, and `crisis_cases.status` by each timeline entry, so a meal or a case still
 * reads right after Temporal's retention has dropped its run. Nothing here is updated while a run is open
 * except by the run's own steps.
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
    /** Set by the retention job when it deleted the photo (the analysis and its totals stay). */
    imageDeletedAt: timestamp('image_deleted_at', { withTimezone: true }),
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
    /** When the person confirmed the analysis is right (migration 0014): a label for model retraining. */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  },
  (t) => [
    index('meals_user_eaten_idx').on(t.userId, t.eatenAt.desc(), t.id.desc()),
    index('meals_batch_idx').on(t.batchId),
    // Maintenance: "is this photo still referenced", "photos past retention", "meals never closed".
    index('meals_image_key_idx').on(t.imageKey),
    index('meals_created_with_image_idx')
      .on(t.createdAt)
      .where(sql`${t.imageKey} is not null`),
    index('meals_open_created_idx')
      .on(t.createdAt)
      .where(sql`${t.outcome} is null`),
    index('meals_confirmed_photo_idx')
      .on(t.confirmedAt)
      .where(sql`${t.confirmedAt} is not null and ${t.imageKey} is not null`),
  ],
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
  /** IANA zone of the person's insight schedule: the fan-out computes their week in the same zone. */
  timezone: text('timezone'),
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
  /** The recogniser model and version behind a photo meal's analysis (migration 0012); null for text meals. */
  model: text('model'),
  modelVersion: text('model_version'),
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

/** A journal entry. The text is encrypted at rest (`v1:<keyId>:<base64>`, see crypto/text-cipher.ts). */
export const journalEntries = app.table(
  'journal_entries',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** Null once the retention job deleted the text (mood and screening stay as aggregates). */
    textEncrypted: text('text_encrypted'),
    textDeletedAt: timestamp('text_deleted_at', { withTimezone: true }),
    mood: integer('mood'),
    locale: text('locale').notNull(),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** {tier, rules, spans, ruleVersion}: rule ids and offsets only, never the text. Null until screened. */
    screening: jsonb('screening'),
    screenedAt: timestamp('screened_at', { withTimezone: true }),
  },
  (t) => [
    index('journal_user_created_idx').on(t.userId, t.createdAt.desc()),
    // Retention: journal text still present, by age.
    index('journal_text_created_idx')
      .on(t.createdAt)
      .where(sql`${t.textEncrypted} is not null`),
  ],
);

/**
 * A crisis case: one open case per person at a time. Status and level are domain facts staff act on
 * (who acknowledged, when); the escalation timers themselves live in the case's Temporal run.
 */
export const crisisCases = app.table(
  'crisis_cases',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    /** open | acknowledged | resolved | closed */
    status: text('status').notNull(),
    tier: text('tier').notNull(),
    level: integer('level').notNull().default(0),
    ackDeadline: timestamp('ack_deadline', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    outcome: text('outcome'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('crisis_cases_status_idx').on(t.status, t.openedAt.desc()),
    index('crisis_cases_user_idx').on(t.userId),
  ],
);

/** The audit timeline of a case: every event with its actor and time. `eventKey` makes writes idempotent. */
export const crisisEvents = app.table(
  'crisis_events',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => crisisCases.id, { onDelete: 'cascade' }),
    eventKey: text('event_key').notNull().unique(),
    /** Order within one run's events that share a timestamp (workflow time advances per task, not per event). */
    seq: integer('seq').notNull().default(0),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Ids, tiers, levels, recipients; a staff note's text is encrypted (`noteEncrypted`). */
    data: jsonb('data').notNull(),
  },
  (t) => [index('crisis_events_case_idx').on(t.caseId, t.at)],
);

/** One stored weekly insight per (person, week): recomputing the same week replaces it. */
export const weeklyInsights = app.table(
  'weekly_insights',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** YYYY-MM-DD, the Monday of the week in `timezone`. */
    weekStart: text('week_start').notNull(),
    timezone: text('timezone').notNull(),
    insight: jsonb('insight').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('weekly_insights_user_week_idx').on(t.userId, t.weekStart)],
);

/** One row per maintenance run (keyed by its Temporal run id, so a retried activity updates, never duplicates). */
export const maintenanceRuns = app.table(
  'maintenance_runs',
  {
    runId: text('run_id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    /** cleanup | retention | database | health-report */
    job: text('job').notNull(),
    /** running | completed | failed; for health-report the report's status is in `result`. */
    status: text('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    result: jsonb('result'),
  },
  (t) => [index('maintenance_runs_job_idx').on(t.job, t.startedAt.desc())],
);

/** What the retention job deleted: one row per deleted item, so "what happened to my data" has an answer. */
export const dataDeletions = app.table(
  'data_deletions',
  {
    id: uuid('id').primaryKey(),
    /** The maintenance run that deleted it. */
    runId: text('run_id').notNull(),
    /** meal_image | journal_text */
    kind: text('kind').notNull(),
    resourceId: text('resource_id').notNull(),
    userId: text('user_id').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('data_deletions_kind_resource_idx').on(t.kind, t.resourceId),
    index('data_deletions_user_idx').on(t.userId),
  ],
);
export * from './schema-routines';
export * from './schema-events';
export * from './schema-account-export';
export * from './schema-account-erasure';
export * from './schema-meal-corrections';
export * from './schema-model-retraining';
export * from './schema-journal-data-keys';
