/**
 * The last attempt number reported for each activity type in this run (see src/contracts/attempt-report.ts).
 * Written by the workflow interceptor when an activity settles, read by the StepTracker right after. Module
 * state is per workflow run: the worker gives each run its own module cache.
 */
const reported = new Map<string, number>();

export function recordAttempt(activityType: string, attempt: number): void {
  reported.set(activityType, attempt);
}

/** The attempts the last call of `activityType` took, once: the next call starts from nothing. */
export function takeAttempt(activityType: string): number | undefined {
  const attempt = reported.get(activityType);
  reported.delete(activityType);
  return attempt;
}
