/**
 * How a step learns how many attempts Temporal made. Retries happen on the server (or, for local activities,
 * inside the worker), so workflow code only sees the final result. The worker's activity interceptor
 * (src/temporal/interceptors/attempts.ts) wraps each result as `{ wellflowAttempt, value }` and adds
 * `{ wellflowAttempt }` to the details of each failure; the workflow interceptor unwraps it before the
 * workflow sees the value and records the attempt for the step tracker. Results recorded before this
 * existed have no wrapper and pass through unchanged (replay-safe). Pure: both sides import it.
 */
export const ATTEMPT_KEY = 'wellflowAttempt';

export interface AttemptReport {
  [ATTEMPT_KEY]: number;
  value: unknown;
}

export const reportAttempt = (value: unknown, attempt: number): AttemptReport => ({ [ATTEMPT_KEY]: attempt, value });

export const attemptDetail = (attempt: number) => ({ [ATTEMPT_KEY]: attempt });

const isAttempt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/**
 * The value inside a result, and its attempt when the result was wrapped. A void activity's wrapper arrives as
 * `{ wellflowAttempt }` alone: JSON drops `value: undefined`, so a wrapper is recognised by its keys (the attempt,
 * and `value` when there is one), not by `value` being present. Requiring `value` once made every void step (record,
 * publish) report one attempt however many it took.
 */
export function readReport(result: unknown): { value: unknown; attempt?: number } {
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && ATTEMPT_KEY in result) {
    const keys = Object.keys(result);
    const attempt = (result as AttemptReport)[ATTEMPT_KEY];
    if (isAttempt(attempt) && keys.every((k) => k === ATTEMPT_KEY || k === 'value'))
      return { value: (result as AttemptReport).value, attempt };
  }
  return { value: result };
}

/** The attempt recorded in a failure's details, if any. */
export function attemptOfDetails(details: readonly unknown[] | undefined): number | undefined {
  for (const d of details ?? []) {
    if (d !== null && typeof d === 'object' && ATTEMPT_KEY in d) {
      const attempt = (d as Record<string, unknown>)[ATTEMPT_KEY];
      if (isAttempt(attempt)) return attempt;
    }
  }
  return undefined;
}
