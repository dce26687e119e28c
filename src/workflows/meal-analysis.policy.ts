import type { StepPolicy } from './policy';

/** Errors a retry cannot fix: the meal's data is wrong, not the infrastructure. */
export const MEAL_NON_RETRYABLE = ['MealNotFound', 'NoDescription', 'NoRecognizableFood'];

/** Step order and policies of `mealAnalysis`. */
export const MEAL_ANALYSIS_STEPS = {
  analyze: {
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '5m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 6, nonRetryableErrorTypes: MEAL_NON_RETRYABLE },
    reason: 'Reads the meal and estimates nutrients in well under a second; 30 s only trips on a stuck DB connection, and 6 attempts over ~1 min ride out a database restart.',
  },
  record: {
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '10m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12, nonRetryableErrorTypes: ['MealNotFound'] },
    reason: 'One idempotent upsert; the result must not be lost, so it retries for up to 10 min (a database failover) before the meal fails.',
  },
  close: {
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '1h',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes: [] },
    reason: 'Writes the final outcome (also after cancel, in a non-cancellable scope); unlimited attempts within 1 h because a meal must never be left without an outcome.',
  },
} as const satisfies Record<string, StepPolicy>;

export type MealStepName = keyof typeof MEAL_ANALYSIS_STEPS;
