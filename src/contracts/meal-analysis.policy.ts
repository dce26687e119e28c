import { dbRetry, type StepPolicy } from './steps';

/**
 * Step order and policies of `mealAnalysis` (docs/architecture.md, principle 3). Read by the workflow to build one
 * activity proxy per step and served by `GET /v1/workflow-types`. Each reason says why its values are what
 * they are.
 */
export const MEAL_ANALYSIS_STEPS = {
  load: {
    activity: 'loadMeal',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '5m',
    retry: dbRetry(10, ['MealNotFound']),
    reason:
      'Local activity (one primary-key read, ~1 ms): no task-queue round trip. 15 s only trips on a stuck connection, and 10 attempts (~4 min) ride out a database restart; its retries (backoff at most 30 s) run inside the worker, the workflow task heartbeating meanwhile.',
  },
  preprocess: {
    activity: 'preprocessMealImage',
    required: true,
    queue: 'heavy',
    local: false,
    startToCloseTimeout: '60s',
    scheduleToCloseTimeout: '10m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['InvalidImage', 'UnsupportedFormat'],
    },
    reason:
      'Decoding and resizing a 10 MB photo takes ~1 s on one core; 60 s allows for a busy heavy worker. A photo that does not decode never will, so those errors are final.',
  },
  recognize: {
    activity: 'recognizeMealImage',
    required: false,
    queue: 'heavy',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '5m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 6,
      nonRetryableErrorTypes: ['InferenceRejected', 'NoRecognizableFood'],
    },
    reason:
      'A model server answers in ~1-5 s; 30 s per call catches a hung server, 6 attempts over ~1 min ride out a restart. Optional: when it cannot recognise the photo the meal asks the person instead.',
  },
  estimate: {
    activity: 'estimateMealItems',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '30s',
    retry: {
      initialInterval: '200ms',
      backoffCoefficient: 2,
      maximumInterval: '2s',
      maximumAttempts: 3,
      nonRetryableErrorTypes: ['NoRecognizableFood'],
    },
    reason:
      'Pure and fast (parser + food table, ~ms): a local activity saves a task-queue round trip. 3 attempts only guard against a worker hiccup; a wrong input fails the same way every time.',
  },
  feedback: {
    activity: 'mealFeedback',
    required: false,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '2m',
    retry: dbRetry(4, []),
    reason:
      "Local activity (two reads and pure guideline rules, a few ms). Reads the person's profile and today's meals. Optional: the meal is still useful without feedback, so after 4 attempts it completes with a warning instead of failing.",
  },
  record: {
    activity: 'recordMealAnalysis',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '10m',
    retry: dbRetry(12, ['MealNotFound']),
    reason:
      'Local activity (one idempotent upsert, a few ms): a worker crash before its marker is recorded re-runs it, which the upsert makes harmless. It must not be lost, so it retries for up to 10 min (a database failover) before the meal fails.',
  },
  close: {
    activity: 'closeMeal',
    required: true,
    queue: 'default',
    local: true,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '1h',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', nonRetryableErrorTypes: [] },
    reason:
      'Local activity (one transaction: the outcome and, in the same commit, its "meal analysed" event (ids only) in the event outbox, so the event exists exactly when the meal is closed; first outcome wins, so a re-run after a crash writes and queues nothing). Also after cancel, in a non-cancellable scope; unlimited attempts within 1 h because a meal must never be left without an outcome.',
  },
} as const satisfies Record<string, StepPolicy>;

const { close: closeStep, ...stepsBeforeClose } = MEAL_ANALYSIS_STEPS;

/**
 * The step table of runs started before patch `meal-event-in-close`: a separate `publish` step queued the
 * meal's event before `close`. They replay (and finish) with it; `GET /v1/workflow-types` shows the current table.
 */
export const MEAL_STEPS_WITH_PUBLISH = {
  ...stepsBeforeClose,
  publish: {
    activity: 'publishMealEvent',
    required: false,
    queue: 'default',
    local: true,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '1m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: 3,
      nonRetryableErrorTypes: [],
    },
    reason:
      'Runs started before patch meal-event-in-close only: queues "meal analysed" (ids only) in the event outbox (one INSERT, idempotent by event id) just before close; 3 attempts within 1 min ride out a brief database hiccup. Optional: the meal is recorded either way.',
  },
  close: closeStep,
} as const satisfies Record<string, StepPolicy>;

/**
 * Steps that ran as regular activities before patch `meal-local-steps` (runs started before it replay with
 * them): only the image and model steps stay regular activities, on the heavy queue.
 */
export const MEAL_STEPS_REMOTE_BEFORE_LOCAL = ['load', 'feedback', 'record', 'publish', 'close'] as const;

/** How long a photo-only meal waits for the person to describe it, unless the start says otherwise. */
export const DEFAULT_INPUT_TIMEOUT = '24h';
