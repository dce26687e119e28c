import type { StepPolicy } from './policy';

export const WEEKLY_INSIGHT_STEPS = {
  compute: {
    activity: 'computeWeeklyInsightFor',
    required: true,
    queue: 'default',
    local: false,
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: '10m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: ['InvalidInsightInput'] },
    reason: 'Two indexed reads (this and last week, ~50 meals) and one upsert: well under a second; 30 s catches a stuck connection, 8 attempts (~4 min) ride out a database restart.',
  },
} as const satisfies Record<string, StepPolicy>;
