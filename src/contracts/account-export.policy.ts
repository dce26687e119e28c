import { dbRetry, type StepPolicy } from './steps';

/**
 * The steps of one account export (src/workflows/account-export.ts). The stage steps each write one part of
 * the person's data to a staging folder as JSON, reading keyset pages; pack streams the staged files and the
 * photos into one .tar.gz. Steps that loop over pages declare a `heartbeatTimeout`: they heartbeat after every page, so a worker that died is noticed within it and the step retried
 * (a retry rewrites its file from the start: every step's output is a whole file, renamed into place).
 */
/** A stage step that pages through one kind of data: a few seconds per thousand rows. */
const stage = (activity: string, what: string): StepPolicy => ({
  activity,
  required: true,
  queue: 'default',
  local: false,
  startToCloseTimeout: '10m',
  scheduleToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: dbRetry(5),
  reason: `Writes ${what} page by page (500 rows) to the staging folder: seconds for thousands of rows; 10 min bounds one attempt of a very large account, the 1 min heartbeat notices a dead worker, 5 attempts ride out a database restart.`,
});

export const ACCOUNT_EXPORT_STEPS = {
  profile: {
    activity: 'stageExportProfile',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '5m',
    retry: dbRetry(5),
    reason:
      'Two indexed reads (profile, crisis cases: a handful of rows) and two small files: 30 s catches a stuck connection, 5 attempts ride out a database restart.',
  },
  meals: stage('stageExportMeals', 'meals with their analyses'),
  journal: stage('stageExportJournal', 'journal entries, decrypting each text inside the step'),
  insights: stage('stageExportInsights', 'weekly insights and one SVG chart per week'),
  routines: stage('stageExportRoutines', 'tasks, their runs and the inbox'),
  pack: {
    activity: 'packExportArchive',
    required: true,
    queue: 'heavy',
    local: false,
    startToCloseTimeout: '30m',
    scheduleToCloseTimeout: '1h',
    heartbeatTimeout: '1m',
    retry: { ...dbRetry(3), nonRetryableErrorTypes: [] },
    reason:
      'Streams the staged JSON and every photo through gzip to disk: CPU and disk bound, so on the heavy queue; about a minute for 1,000 photos, 30 min bounds a huge account; heartbeats per entry; 3 attempts (each starts the archive over) cover a worker restart without looping on a full disk.',
  },
  finish: {
    activity: 'finishExport',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '10m',
    retry: dbRetry(20),
    reason:
      'Marks the row completed (conditional: a retry changes nothing), then removes the staging folder pack read from. The archive is already written, so 20 attempts (~8 min) outlast a database failover rather than waste it.',
  },
  abandon: {
    activity: 'abandonExport',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '10m',
    retry: dbRetry(20),
    reason:
      'After a failure or cancellation: marks the row failed (so the person can ask again) and removes the staging files; same budget as finish, a row left running would block a new export.',
  },
} as const satisfies Record<string, StepPolicy>;
