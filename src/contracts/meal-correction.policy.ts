import type { StepPolicy } from './steps';

/**
 * The steps of one meal correction (src/workflows/meal-correction.ts). Each is pure code plus a few indexed
 * reads and writes keyed by (meal, revision), so all run as local activities: the whole correction is one
 * workflow task (docs/architecture.md, principle 10), and a retry rewrites the same row.
 */
export const MEAL_CORRECTION_STEPS = {
  estimate: {
    activity: 'estimateMealCorrection',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 8,
      nonRetryableErrorTypes: ['CorrectionNotFound', 'InvalidCorrection'],
    },
    reason:
      'Reads the revision row, estimates its items with the pure parser (milliseconds) and writes the estimate onto the row; 15 s catches a stuck connection, 8 attempts (~1.5 min) ride out a database restart. A request that no longer estimates (the food table changed since the API checked it) cannot succeed on retry.',
  },
  feedback: {
    activity: 'mealCorrectionFeedback',
    required: false,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '1m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['CorrectionNotFound'],
    },
    reason:
      "The profile and the day's other meals (two indexed reads) and the pure feedback rules; optional like the analysis's feedback step: corrected totals without messages beat no correction, and the warning says so.",
  },
  apply: {
    activity: 'applyMealCorrection',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '5m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      maximumAttempts: 12,
      nonRetryableErrorTypes: ['CorrectionNotFound'],
    },
    reason:
      "One transaction: keep the replaced analysis on the revision, write the corrected analysis, mark the week's insight stale. Applied once (a retry finds the revision applied and changes nothing); 12 attempts (~5 min) outlast a database failover, since the person is waiting for their numbers.",
  },
  fail: {
    activity: 'failMealCorrection',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '30m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 30,
      nonRetryableErrorTypes: [],
    },
    reason:
      'Marks the revision failed with its reason, only while it is still pending: until it is, the meal accepts no new correction, so 30 attempts (~25 min) make sure it is written.',
  },
} as const satisfies Record<string, StepPolicy>;
