import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Personal routines (docs/routines.md), created by migration 0007_routines. Between runs a task's whole state
 * (config, counters, streak, last/next run) lives here, not in an open workflow: each occurrence is a short
 * `taskExecution` run started by the task's Temporal Schedule, which records its outcome in `task_executions`.
 */
const app = pgSchema('app');

export const taskTemplates = app.table('task_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  category: text('category').notNull(),
  taskType: text('task_type').notNull(),
  /** Merged under the person's config (theirs wins) when a task is created from the template. */
  defaultConfig: jsonb('default_config').notNull(),
  /** JSON Schema (draft 2020-12 subset, checked with ajv) of the merged config: required fields, ranges. */
  configSchema: jsonb('config_schema').notNull(),
  requiredLevel: text('required_level').notNull(),
  creditsPerRun: integer('credits_per_run').notNull(),
  asksAnswer: boolean('asks_answer').notNull(),
});

export const tasks = app.table(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    templateId: text('template_id'),
    name: text('name').notNull(),
    category: text('category').notNull(),
    taskType: text('task_type').notNull(),
    config: jsonb('config').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'`),
    timezone: text('timezone').notNull(),
    /** active | paused | deleted (soft delete: the row stays for the execution history). */
    status: text('status').notNull(),
    /** Why a paused task is paused: `user` (pause endpoint) or `limit` (over the subscription cap). */
    pausedReason: text('paused_reason'),
    asksAnswer: boolean('asks_answer').notNull(),
    creditsPerRun: integer('credits_per_run').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    reminderAt: timestamp('reminder_at', { withTimezone: true }),
    isCompleted: boolean('is_completed').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    runCount: integer('run_count').notNull().default(0),
    doneCount: integer('done_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    missedCount: integer('missed_count').notNull().default(0),
    creditsUsed: integer('credits_used').notNull().default(0),
    currentStreak: integer('current_streak').notNull().default(0),
    bestStreak: integer('best_streak').notNull().default(0),
    /** YYYY-MM-DD in the task's zone of the last day with a done run. */
    lastDoneDay: text('last_done_day'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Set by the create's transaction, cleared once the schedule is written (migration 0016). */
    schedulePendingSince: timestamp('schedule_pending_since', { withTimezone: true }),
  },
  (t) => [
    index('tasks_user_created_idx')
      .on(t.userId, t.createdAt.desc(), t.id.desc())
      .where(sql`${t.deletedAt} is null`),
    index('tasks_schedule_pending_idx')
      .on(t.schedulePendingSince)
      .where(sql`${t.schedulePendingSince} is not null`),
  ],
);

export const taskExecutions = app.table(
  'task_executions',
  {
    /** The run's workflow id: one row per run, whatever its retries. */
    id: text('id').primaryKey(),
    taskId: uuid('task_id').notNull(),
    userId: text('user_id').notNull(),
    /** scheduled | manual */
    trigger: text('trigger').notNull(),
    /** waiting | done | skipped | missed | delivered | cancelled */
    status: text('status').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    credits: integer('credits').notNull().default(0),
    deliveries: integer('deliveries').notNull().default(0),
  },
  (t) => [
    index('task_executions_task_idx').on(t.taskId, t.startedAt.desc(), t.id.desc()),
    index('task_executions_user_idx').on(t.userId, t.startedAt),
  ],
);

export const inboxMessages = app.table(
  'inbox_messages',
  {
    /** Deterministic per fact (`<executionId>:<delivery>`, `milestone:<taskId>:<days>`): a retry inserts nothing. */
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** reminder | milestone */
    kind: text('kind').notNull(),
    taskId: uuid('task_id'),
    executionId: text('execution_id'),
    /** Composed from the task's category only: never the person's own words or health content. */
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('inbox_messages_user_idx').on(t.userId, t.createdAt.desc(), t.id.desc())],
);

/** A person's subscription level, as last announced by `subscription.changed` (absent: free). */
export const subscriptions = app.table('subscriptions', {
  userId: text('user_id').primaryKey(),
  level: text('level').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
});
