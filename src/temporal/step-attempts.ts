import type { temporal } from '@temporalio/proto';
import type { StepPolicy, StepProgress } from '../workflows/policy';

type History = temporal.api.history.v1.IHistory;
type PendingActivity = { activityType?: string; attempt: number; lastFailure?: { message?: string } };

/**
 * The workflow knows a step's status but not how many attempts Temporal made: retries happen on the
 * server. Temporal records the final attempt number on the ActivityTaskStarted event (and on a pending
 * activity while it runs), so attempts are read from there and merged into the workflow's step list.
 */
export function attemptsFromHistory(history: History): Map<string, number> {
  const typeOfScheduled = new Map<string, string>();
  const attempts = new Map<string, number>();
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) typeOfScheduled.set(String(e.eventId), scheduled.activityType.name);
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOfScheduled.get(String(started.scheduledEventId));
      if (type) attempts.set(type, (attempts.get(type) ?? 0) + (started.attempt ?? 1));
    }
  }
  return attempts;
}

/** Steps with Temporal's attempt counts (from history) and, for a step still running, its live attempt and error. */
export function mergeAttempts(
  steps: StepProgress[],
  policies: Record<string, StepPolicy>,
  fromHistory: Map<string, number>,
  pending: PendingActivity[] = [],
): StepProgress[] {
  return steps.map((s) => {
    const activity = policies[s.name]?.activity;
    if (!activity) return s;
    const live = pending.find((p) => p.activityType === activity);
    const done = fromHistory.get(activity);
    const out: StepProgress = { ...s };
    if (live) {
      out.attempts = Math.max(s.attempts, (done ?? 0) + live.attempt);
      if (live.lastFailure?.message) out.error = live.lastFailure.message;
    } else if (done !== undefined && done > s.attempts) {
      out.attempts = done;
    }
    return out;
  });
}
