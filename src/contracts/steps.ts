import type { QueueName } from './queues';

/**
 * A workflow step's policy as data (docs/architecture.md, principle 3): declared once in its workflow's contract, read
 * by the workflow to build its activity proxies, and served by the API so clients can see it.
 * Durations are strings in Temporal's `ms` format ('30s', '5m').
 */
export interface RetryPolicyData {
  initialInterval: string;
  backoffCoefficient: number;
  maximumInterval: string;
  /** Absent = unlimited attempts (bounded by scheduleToCloseTimeout). */
  maximumAttempts?: number;
  nonRetryableErrorTypes: string[];
}

/**
 * The retry policy of a step that talks to our own database (one definition for every policy table): a fast
 * first retry (1 s), doubling, capped at 30 s so a database back after a restart is noticed within half a
 * minute. `maximumAttempts` is the step's own choice (absent = bounded by its scheduleToCloseTimeout only).
 */
export const dbRetry = (
  maximumAttempts: number | undefined,
  nonRetryableErrorTypes: string[] = [],
): RetryPolicyData => ({
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  ...(maximumAttempts !== undefined ? { maximumAttempts } : {}),
  nonRetryableErrorTypes,
});

export interface StepPolicy {
  /** The activity this step calls (its Temporal activity type), so run history maps back to steps. */
  activity: string;
  /** A required step's failure fails the run; an optional step's failure becomes a warning. */
  required: boolean;
  queue: QueueName;
  /** Local activities run inside the workflow task's worker: for short pure steps, no extra round trip. */
  local: boolean;
  startToCloseTimeout: string;
  /** Bound on all attempts together, so a step cannot retry forever. */
  scheduleToCloseTimeout: string;
  /** Long steps that heartbeat: an attempt silent for this long is presumed dead and retried elsewhere. */
  heartbeatTimeout?: string;
  retry: RetryPolicyData;
  /** Why these values (one line): the policy table is documentation too. */
  reason: string;
}

export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface StepProgress {
  name: string;
  /** The step's activity type, so live attempt counts from Temporal map back to the step. */
  activity: string;
  status: StepStatus;
  required: boolean;
  /** Attempts the step took: reported by each attempt itself (contracts/attempt-report.ts). */
  attempts: number;
  error?: string;
}
