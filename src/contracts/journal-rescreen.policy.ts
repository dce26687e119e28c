import type { StepPolicy } from './steps';

/**
 * Step policy of the re-screen (docs/architecture.md, principle 3). The page step works through up to 500
 * entries, so like the maintenance passes it declares a `heartbeatTimeout`: it heartbeats after every entry,
 * and a worker that died is noticed within a minute instead of at the end of its startToCloseTimeout.
 */

export const RESCREEN_STEPS = {
  page: {
    activity: 'rescreenJournalPage',
    required: true,
    queue: 'critical',
    local: false,
    startToCloseTimeout: '5m',
    scheduleToCloseTimeout: '1h',
    heartbeatTimeout: '1m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 20,
      nonRetryableErrorTypes: ['ScreenerVersionMismatch'],
    },
    reason:
      "One keyset page: per entry a decrypt, a screening (≤ 50 ms p95 for the corpus's entries; 0.66-1.7 s by machine for a 10,000-character one with the encoder screener), a conditional write and, when the tier rose, a signal-with-start of the case. A page of 500 typical entries takes well under a minute, so 5 min per attempt trips on a stuck call (or a page of maximal entries, which the heartbeat's resume then finishes); a heartbeat after every entry (timeout 1 min, each entry ≤ a few s even with a slow signal) notices a dead worker, and a retry resumes after the last entry its heartbeat reported with the counts so far. 20 attempts within 1 h ride out a database or Temporal restart: a missed risky entry is the failure that matters. A worker whose screener is not the run's version fails the run at once (ScreenerVersionMismatch): the run id names the version it screens with.",
  },
} as const satisfies Record<string, StepPolicy>;
