import type { StepProgress } from '../contracts/steps';

/** A running activity as `describe()` reports it: Temporal's live attempt number and its last failure. */
export interface PendingActivity {
  activityType?: string;
  attempt: number;
  lastFailure?: { message?: string };
}

/**
 * A running step's live attempt and error, merged from Temporal's pending-activity info into the steps the
 * workflow reports (each step names its activity, so no policy table is needed). Settled steps already
 * carry the attempts their activities reported.
 */
export function withLiveAttempts(steps: StepProgress[], pending: PendingActivity[]): StepProgress[] {
  return steps.map((s) => {
    const live = s.status === 'running' ? pending.find((p) => p.activityType === s.activity) : undefined;
    if (!live) return s;
    return {
      ...s,
      attempts: Math.max(s.attempts, s.attempts - 1 + live.attempt),
      ...(live.lastFailure?.message ? { error: live.lastFailure.message } : {}),
    };
  });
}
