import { dbRetry, type StepPolicy } from './steps';

/** A short local step over our own database: one indexed read or write keyed by the run. */
const local = (activity: string, scheduleToCloseTimeout: string, attempts: number | undefined, reason: string) =>
  ({
    activity,
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout,
    retry: dbRetry(attempts, ['RetrainingNotFound', 'RetrainingAlreadyRunning', 'CanaryBusy']),
    reason,
  }) as const satisfies StepPolicy;

/**
 * The steps of one model retraining (src/workflows/model-retraining.ts; docs/model-retraining.md). The two waits
 * that are not steps are durable timers in the workflow, bounded by configuration: the admin's approval
 * (RETRAINING_APPROVAL_TIMEOUT, 7 d: a week covers a holiday; then the run ends unpromoted) and the canary
 * window (RETRAINING_CANARY_WINDOW, 24 h: one full day of meals, breakfast to late snacks, on the candidate).
 */
export const MODEL_RETRAINING_STEPS = {
  begin: local(
    'beginRetraining',
    '2m',
    8,
    'Creates the run row (or finds it on a retry) and reads the settings; refused for good while another run is unfinished. 8 attempts ride out a database restart.',
  ),
  snapshot: {
    activity: 'snapshotLabelledSet',
    required: true,
    queue: 'default',
    local: false,
    // Hashes every labelled photo (tens of thousands a month at most, a few ms each) and writes one manifest.
    startToCloseTimeout: '30m',
    heartbeatTimeout: '2m',
    scheduleToCloseTimeout: '2h',
    retry: { ...dbRetry(5, ['EvaluationSetMissing']), initialInterval: '10s', maximumInterval: '5m' },
    reason:
      'Reads the photos people corrected since the last run plus the fixed evaluation set, hashes them and writes the manifest (same path on a retry, so a retry rewrites it). 30 min covers a month of photos read from disk; a heartbeat per hundred photos shows it alive; a missing evaluation set cannot appear by retrying.',
  },
  submit: {
    activity: 'submitTrainingJob',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: '1h',
    retry: {
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
      nonRetryableErrorTypes: ['TrainerRejected', 'TrainerNotConfigured'],
    },
    reason:
      "One HTTP call, idempotent by the run's id (a retried submit gets the same job), and the job id is stored on the row before the wait begins: a restarted worker never submits twice. An hour of retries outlasts a trainer deploy; a 4xx is our request being wrong.",
  },
  awaitTraining: {
    activity: 'awaitTrainingJob',
    required: true,
    queue: 'heavy',
    local: false,
    // A training run on a month of labels takes hours; 24 h per attempt is several times the expected run.
    startToCloseTimeout: '24h',
    // Heartbeats after every poll (TRAINER_POLL_SECONDS, 60 s): five silent minutes means the worker is gone, and
    // the next attempt polls the same recorded job instead of waiting out the day.
    heartbeatTimeout: '5m',
    scheduleToCloseTimeout: '48h',
    retry: {
      initialInterval: '30s',
      backoffCoefficient: 2,
      maximumInterval: '10m',
      nonRetryableErrorTypes: ['TrainingFailed', 'TrainerRejected', 'TrainerNotConfigured'],
    },
    reason:
      'Polls the recorded job until it ends, heartbeating, on the heavy queue beside the other model work. 48 h in all: a job not done in two days is stuck, and the run cancels it and fails. A failed job is final; a trainer outage is retried from 30 s to 10 min.',
  },
  cancelTraining: {
    activity: 'cancelTrainingJob',
    required: false,
    queue: 'default',
    local: false,
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: '30m',
    retry: {
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '2m',
      nonRetryableErrorTypes: ['TrainerRejected'],
    },
    reason:
      "Asks the trainer to stop the run's job when the run is cancelled or the wait gave up, so no GPU keeps training for nothing; optional because the trainer also drops jobs nobody fetches, and 30 min of retries cover its restart.",
  },
  evaluate: {
    activity: 'evaluateCandidate',
    required: true,
    queue: 'heavy',
    local: false,
    // Two models over the fixed set (hundreds of photos, <1 s each on the model server, one at a time).
    startToCloseTimeout: '30m',
    heartbeatTimeout: '2m',
    scheduleToCloseTimeout: '2h',
    retry: {
      initialInterval: '10s',
      backoffCoefficient: 2,
      maximumInterval: '5m',
      maximumAttempts: 6,
      nonRetryableErrorTypes: ['EvaluationSetMissing', 'InferenceRejected'],
    },
    reason:
      'Scores the model in use and the candidate on the fixed set through the model server (KServe v2, per version). 30 min covers both passes with the per-call 20 s limit to spare; a heartbeat per photo; 6 attempts ride out the server loading the new version; a model the server does not have (404) is final.',
  },
  record: local(
    'recordRetrainingStep',
    '10m',
    20,
    "Appends one step to the run's record (keyed, so a retry adds nothing). 20 attempts (~10 min): the record is the audit trail of what the run did to production.",
  ),
  startCanary: local(
    'startModelCanary',
    '10m',
    20,
    "Points the canary share of photo meals at the candidate; refused for good while another run's candidate holds the slot.",
  ),
  canaryCounts: local(
    'modelCanaryCounts',
    '5m',
    10,
    "Counts each route's recognitions since the canary began (one grouped read); a missed check is followed by the next one.",
  ),
  promote: local(
    'promoteModel',
    '1h',
    undefined,
    'Makes the candidate the model in use for every photo. No attempt limit within an hour: once decided, leaving the canary half-done is worse than waiting for the database.',
  ),
  rollback: local(
    'rollbackModel',
    '1h',
    undefined,
    'Sends every photo back to the model in use; must happen (also when the run is cancelled), so an hour of retries.',
  ),
  finish: local(
    'finishRetraining',
    '30m',
    undefined,
    "Writes the run's final status and report, once; retried for half an hour so the row never stays unfinished (it blocks the next run).",
  ),
} as const satisfies Record<string, StepPolicy>;

/**
 * How far above the model in use the candidate's error or needs_input rate may go during the canary: 5 points is
 * above the day-to-day noise of a few hundred meals and below what people would notice as "photos stopped working".
 */
export const CANARY_TOLERANCE = 0.05;
