import { MAINTENANCE_WORKFLOW_TYPES } from './maintenance';
import { dbRetry, type RetryPolicyData, type StepPolicy } from './steps';

/*
 * Step policies of the four maintenance workflows (docs/architecture.md, principle 3). A step that works through a
 * backlog also declares a `heartbeatTimeout`: it heartbeats between batches, so a worker that died is
 * noticed in a minute instead of at the end of its startToCloseTimeout.
 */

/**
 * How many bounded passes (each ≤ ~1 min of batches, see activities/maintenance.ts) one run makes per chore:
 * about an hour of work. A bigger backlog is left for the next run (the summary says `complete: false`),
 * which keeps one run's history small.
 */
export const MAX_PASSES_PER_RUN = 60;

const maintenanceDbRetry = (maximumAttempts: number) => dbRetry(maximumAttempts, ['MaintenanceOutsideWorkflow']);

const passRetry: RetryPolicyData = {
  initialInterval: '5s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  maximumAttempts: 6,
  nonRetryableErrorTypes: ['MaintenanceOutsideWorkflow', 'InvalidMaintenanceConfig'],
};

/** A chore that works in bounded passes: one pass is ≤ 1 min of batches plus the last batch. */
const pass = (activity: string, required: boolean, what: string): StepPolicy => ({
  activity,
  required,
  queue: 'default',
  local: false,
  startToCloseTimeout: '5m',
  scheduleToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: passRetry,
  reason: `${what} Each pass stops starting batches (500 rows unless it says otherwise) after ~1 min, so 5 min per attempt only trips on a stuck call; it heartbeats per batch (1 min); 6 attempts (~3 min of backoff) ride out a database or server restart, and a retry redoes at most one pass.`,
});

const begin: StepPolicy = {
  activity: 'startMaintenanceRun',
  required: true,
  queue: 'default',
  local: false,
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '5m',
  retry: maintenanceDbRetry(10),
  reason:
    'One upsert keyed by the run id (a retry is a no-op); 15 s catches a stuck connection, 10 attempts (~4 min) ride out a database restart before any work starts.',
};

const finish: StepPolicy = {
  activity: 'finishMaintenanceRun',
  required: true,
  queue: 'default',
  local: false,
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '15m',
  retry: maintenanceDbRetry(25),
  reason:
    'One upsert of the summary keyed by the run id; also runs after a failure or cancel (non-cancellable), so it gets more attempts (~12 min): the record of what ran must not be lost to a short outage.',
};

export const CLEANUP_STEPS = {
  begin,
  idempotencyKeys: pass(
    'deleteExpiredIdempotencyKeys',
    false,
    'Expired Idempotency-Key records; optional: stale keys are already ignored by lookups, so a failure only delays the space.',
  ),
  orphanUploads: pass(
    'deleteOrphanUploads',
    false,
    'Old photos no meal refers to, walked in key order (a pass returns where to continue); optional: orphans only cost disk.',
  ),
  stuckMeals: pass(
    'closeStuckMeals',
    false,
    'Meals past their input limit + 1 h: describe (and cancel) their runs, 8 at a time; an unparsable MEAL_INPUT_TIMEOUT is final. Optional: the next run picks up what this one left.',
  ),
  expiredExports: pass(
    'deleteExpiredExports',
    false,
    'Account export archives past their 24 h (file deleted, row marked expired); optional: a failure only keeps an archive until the next run, and its links already refuse it (expired).',
  ),
  taskSchedules: pass(
    'repairTaskSchedules',
    false,
    'Schedules of tasks whose create died after the row and before the schedule (marked more than 5 min ago), written from the row, 4 at a time; optional: the next hourly run picks up what this one left, and a retried create writes its own.',
  ),
  finish,
} as const satisfies Record<string, StepPolicy>;

export const RETENTION_STEPS = {
  begin,
  mealImages: pass(
    'expireMealImages',
    true,
    'Photos of meals older than RETENTION_IMAGE_DAYS (files, then rows + data_deletions in one transaction); required: a retention failure must show as a failed run.',
  ),
  journalTexts: pass(
    'expireJournalTexts',
    true,
    'Journal text older than RETENTION_JOURNAL_DAYS, cleared with its data_deletions rows in one transaction; required like the photos.',
  ),
  crisisCases: pass(
    'expireRetainedCrisisCases',
    true,
    "Crisis cases kept after their person's erasure, closed more than RETENTION_CRISIS_CASE_DAYS ago, deleted with their timelines 100 cases per transaction (with the run's tally, so counts are exact across retries); required: a clinical record kept past its period must show as a failed run.",
  ),
  finish,
} as const satisfies Record<string, StepPolicy>;

export const DATABASE_STEPS = {
  begin,
  vacuum: {
    activity: 'vacuumAppTables',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30m',
    scheduleToCloseTimeout: '2h',
    heartbeatTimeout: '1m',
    retry: {
      initialInterval: '30s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
      maximumAttempts: 4,
      nonRetryableErrorTypes: ['MaintenanceOutsideWorkflow'],
    },
    reason:
      'VACUUM (ANALYZE) of every app table, one statement per table that can take minutes on a big table: 30 min per attempt, a heartbeat every 10 s (timeout 1 min) even mid-statement so a dead worker is noticed; a retry resumes after the last finished table (heartbeat details). 4 attempts, 30 s apart and up: a vacuum that keeps failing needs a person.',
  },
  finish,
} as const satisfies Record<string, StepPolicy>;

export const HEALTH_REPORT_STEPS = {
  begin,
  check: {
    activity: 'runHealthReport',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '3m',
    retry: {
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      maximumAttempts: 3,
      nonRetryableErrorTypes: [],
    },
    reason:
      'Seven checks in parallel, each capped at 3 s, so a report takes ≤ ~3 s; 30 s only trips on a hung worker. A failing dependency is a result (UNHEALTHY), not an error, so 3 attempts are plenty.',
  },
  alert: {
    activity: 'alertOnHealth',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '5m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 6,
      nonRetryableErrorTypes: [],
    },
    reason:
      'One NATS publish (5 s client timeout) or a log line; 6 attempts (~1 min) ride out a NATS restart. Required: an UNHEALTHY report whose alert could not be sent must show as a failed run.',
  },
  finish,
} as const satisfies Record<string, StepPolicy>;

/** Every maintenance workflow type with its step table, for the workflow-types catalog. */
export const MAINTENANCE_POLICIES = {
  [MAINTENANCE_WORKFLOW_TYPES.cleanup]: CLEANUP_STEPS,
  [MAINTENANCE_WORKFLOW_TYPES.retention]: RETENTION_STEPS,
  [MAINTENANCE_WORKFLOW_TYPES.database]: DATABASE_STEPS,
  [MAINTENANCE_WORKFLOW_TYPES['health-report']]: HEALTH_REPORT_STEPS,
} as const satisfies Record<
  (typeof MAINTENANCE_WORKFLOW_TYPES)[keyof typeof MAINTENANCE_WORKFLOW_TYPES],
  Record<string, StepPolicy>
>;
