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
 * Model retraining (docs/model-retraining.md), created by migration 0012_model_retraining: the recogniser's
 * routing (version in use, canary candidate and share), retraining runs with their recorded steps, and each photo
 * meal's recognition outcome by the model version that served it (what the canary watch compares).
 */
const app = pgSchema('app');

export const modelRouting = app.table('model_routing', {
  /** The configured INFERENCE_MODEL's name: the photo recogniser this row routes. */
  slot: text('slot').primaryKey(),
  currentModel: text('current_model').notNull(),
  /** Null: the model server's default version of `currentModel`. */
  currentVersion: text('current_version'),
  candidateModel: text('candidate_model'),
  candidateVersion: text('candidate_version'),
  /** Share of photo meals (0..1) routed to the candidate, by a hash of the meal id. */
  canaryShare: real('canary_share').notNull().default(0),
  canarySince: timestamp('canary_since', { withTimezone: true }),
  /** The retraining run that set the candidate. */
  retrainingId: text('retraining_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const modelRetrainings = app.table(
  'model_retrainings',
  {
    /** The run's workflow id. */
    id: text('id').primaryKey(),
    requestedBy: text('requested_by').notNull(),
    /** running | stopped_at_gate | rejected | approval_timed_out | rolled_back | promoted | failed | cancelled */
    status: text('status').notNull(),
    manifestPath: text('manifest_path'),
    labelledCount: integer('labelled_count'),
    trainingJobId: text('training_job_id'),
    candidateModel: text('candidate_model'),
    candidateVersion: text('candidate_version'),
    report: jsonb('report'),
    decidedBy: text('decided_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('model_retrainings_one_active_idx')
      .on(sql`(true)`)
      .where(sql`${t.finishedAt} IS NULL`),
    index('model_retrainings_started_idx').on(t.startedAt.desc()),
  ],
);

export const modelRetrainingSteps = app.table(
  'model_retraining_steps',
  {
    retrainingId: text('retraining_id').notNull(),
    /** Makes a retried write of the same step a no-op. */
    stepKey: text('step_key').notNull(),
    step: text('step').notNull(),
    /** Counts, rates and versions only: never labels or photos. */
    detail: jsonb('detail').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'model_retraining_steps_pk', columns: [t.retrainingId, t.stepKey] })],
);

export const modelRecognitions = app.table(
  'model_recognitions',
  {
    mealId: uuid('meal_id').primaryKey(),
    slot: text('slot').notNull(),
    /** current | candidate: where the canary routing sent the meal. */
    route: text('route').notNull(),
    model: text('model').notNull(),
    modelVersion: text('model_version'),
    /** recognized | needs_input | error */
    outcome: text('outcome').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('model_recognitions_slot_at_idx').on(t.slot, t.at)],
);
