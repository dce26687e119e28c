import type { StepPolicy } from './steps';

export const WEEKLY_INSIGHT_STEPS = {
  compute: {
    activity: 'computeWeeklyInsightFor',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '10m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 8,
      nonRetryableErrorTypes: ['InvalidInsightInput'],
    },
    reason:
      'Two indexed reads (this and last week, ~50 meals) and one upsert: well under a second; 30 s catches a stuck connection, 8 attempts (~4 min) ride out a database restart.',
  },
  publish: {
    activity: 'publishInsightEvent',
    required: false,
    queue: 'default',
    local: false,
    startToCloseTimeout: '15s',
    scheduleToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 5,
      nonRetryableErrorTypes: ['InsightNotFound'],
    },
    reason:
      'Announces "insight generated" (ids only) on NATS: one row read plus a publish with a 5 s client limit; 5 attempts (~30 s) ride out a NATS restart. Optional: the insight is stored either way, so NATS being down completes the run with a warning, and listeners can catch up from the API.',
  },
} as const satisfies Record<string, StepPolicy>;

export const WEEKLY_INSIGHTS_ALL_STEPS = {
  listPeople: {
    activity: 'listPeopleWithMeals',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '1m',
    scheduleToCloseTimeout: '30m',
    retry: {
      initialInterval: '5s',
      backoffCoefficient: 2,
      maximumInterval: '2m',
      maximumAttempts: 15,
      nonRetryableErrorTypes: [],
    },
    reason:
      'One keyset page (≤ 1,000 ids) of a range scan: well under a second; 1 min catches a stuck query, 15 attempts (~25 min) ride out a database failover without dropping the week.',
  },
} as const satisfies Record<string, StepPolicy>;
