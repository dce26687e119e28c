import { ApplicationFailure, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { attemptOfDetails, readReport } from '../../contracts/attempt-report';
import { recordAttempt } from '../../workflows/step-attempts';
import { requestIdFrom, requestIdHeader } from './header';

/** The attempt a failed activity reported on its last try (the innermost application failure carries it). */
function attemptOfFailure(err: unknown): number | undefined {
  for (let cur: unknown = err; cur instanceof Error; cur = cur.cause) {
    if (cur instanceof ApplicationFailure) return attemptOfDetails(cur.details ?? undefined);
  }
  return undefined;
}

/** Unwraps an activity's attempt report (see contracts/attempt-report.ts) and records it for the step tracker. */
function trackAttempts<T>(activityType: string, result: Promise<T>): Promise<T> {
  return result.then(
    (raw) => {
      const { value, attempt } = readReport(raw);
      if (attempt !== undefined) recordAttempt(activityType, attempt);
      return value as T;
    },
    (err: unknown) => {
      const attempt = attemptOfFailure(err);
      if (attempt !== undefined) recordAttempt(activityType, attempt);
      throw err;
    },
  );
}

/**
 * Bundled with the workflows (workflowInterceptorModules):
 * - the request id that started a run is read from its start header, added to every `log` line of the run,
 *   and passed on in the headers of its activities, local activities, children, continue-as-new and signals;
 * - activity results arrive with the attempt that produced them, which the step tracker records.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: string | undefined;
  const pass = <T extends { headers: Record<string, unknown> }>(input: T): T =>
    requestId ? { ...input, headers: { ...input.headers, ...requestIdHeader(requestId) } } : input;
  return {
    inbound: [
      {
        execute: (input, next) => {
          requestId = requestIdFrom(input.headers);
          return next(input);
        },
        handleSignal: (input, next) => {
          // A signal-with-start (crisis case) delivers the header on the signal: adopt it if the run has none.
          requestId ??= requestIdFrom(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => trackAttempts(input.activityType, next(pass(input))),
        scheduleLocalActivity: (input, next) => trackAttempts(input.activityType, next(pass(input))),
        startChildWorkflowExecution: (input, next) => next(pass(input)),
        continueAsNew: (input, next) => next(pass(input)),
        signalWorkflow: (input, next) => next(pass(input)),
        getLogAttributes: (input, next) => (requestId ? { ...next(input), requestId } : next(input)),
      },
    ],
  };
};
