import { dbRetry, type StepPolicy } from './steps';

/**
 * The steps of one account erasure (src/workflows/account-erasure.ts). Erasure is must-finish work: every step
 * retries without an attempt limit (dbRetry(undefined)) within a day-long scheduleToCloseTimeout, so a
 * database, Temporal or disk outage delays it and never abandons it half-way. Every step is idempotent (a
 * retry finds less to do) and the paging steps heartbeat after every page, so a worker killed mid-step is
 * noticed within the heartbeat timeout and the step resumes on another worker where the rows stop.
 */
const ONE_DAY = '24h';

/** A paging step: seconds per thousand rows; a very large account takes minutes. */
const paged = (activity: string, what: string): StepPolicy => ({
  activity,
  required: true,
  queue: 'default',
  local: false,
  startToCloseTimeout: '30m',
  scheduleToCloseTimeout: ONE_DAY,
  heartbeatTimeout: '30s',
  retry: dbRetry(undefined),
  reason: `Deletes ${what} in pages of 200 with a heartbeat per page: 30 min bounds one attempt of a huge account, a 30 s heartbeat notices a killed worker quickly, and unlimited retries within a day outlast any outage (erasure must finish).`,
});

export const ACCOUNT_ERASURE_STEPS = {
  mark: {
    activity: 'markAccountErased',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      'One conditional insert (the erased mark: the API answers 410 from then on). 15 s catches a stuck connection; unlimited retries within a day: nothing else may run before it.',
  },
  cancelRuns: paged(
    'cancelPersonRuns',
    "the person's running workflows (cancel, wait for them to close, list again once the API's erased check has settled)",
  ),
  schedules: {
    activity: 'deletePersonSchedules',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '5m',
    scheduleToCloseTimeout: ONE_DAY,
    heartbeatTimeout: '30s',
    retry: dbRetry(undefined),
    reason:
      'Deletes the insight schedule and one schedule per task (a missing one is fine): one Temporal call each, heartbeat per call; unlimited retries within a day ride out a Temporal outage.',
  },
  meals: paged('eraseMeals', 'meals, analyses, corrections and photo files not shared with another meal'),
  rows: paged(
    'erasePersonRows',
    'batches, insights, profile, tasks, executions, inbox, idempotency records and journal entries',
  ),
  exports: {
    activity: 'eraseAccountExports',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '2m',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      'Removes export archives (files, then rows) after any export run was cancelled: a few files, 2 min bounds a slow disk; unlimited retries within a day.',
  },
  dataKey: {
    activity: 'destroyJournalDataKey',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      "Deletes the person's wrapped journal data key with its receipt count in one transaction (crypto-shredding): one row, 15 s catches a stuck connection; unlimited retries within a day (the key must go before the receipt is final).",
  },
  crisis: {
    activity: 'retainCrisisCases',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      "Records erasure_requested on each of the person's crisis cases (kept for the clinical record) and notifies staff through the notifier fan-out (ids only); 1 min covers the fan-out's own timeouts, retries are safe (the timeline entry and notification id are keyed by case).",
  },
  histories: {
    activity: 'deletePersonHistories',
    required: false,
    queue: 'default',
    local: false,
    startToCloseTimeout: '10m',
    scheduleToCloseTimeout: '1h',
    heartbeatTimeout: '30s',
    retry: dbRetry(5),
    reason:
      "Deletes the person's closed executions through the workflow service (their encrypted payloads and ids): optional, because a cluster may refuse the call (permissions) and the namespace retention removes them anyway; 5 attempts.",
  },
  publish: {
    activity: 'publishUserErased',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      'Queues wellflow.user.erased in the outbox (one insert, id by user): 15 s catches a stuck connection; the relay delivers it at least once.',
  },
  finish: {
    activity: 'completeAccountErasure',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: ONE_DAY,
    retry: dbRetry(undefined),
    reason:
      'Stamps the receipt completed (first completion wins) and returns its counts; unlimited retries within a day.',
  },
} as const satisfies Record<string, StepPolicy>;
