import { ApplicationFailure, type Context } from '@temporalio/activity';
import { TemporalFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { attemptDetail, reportAttempt } from '../../contracts/attempt-report';

/** A failure of this attempt, carrying the attempt number; cancellations and Temporal's own failures pass as they are. */
function withAttempt(err: unknown, attempt: number): unknown {
  if (err instanceof ApplicationFailure) {
    const copy = ApplicationFailure.create({
      message: err.message,
      type: err.type ?? undefined,
      nonRetryable: err.nonRetryable ?? false,
      details: [...(err.details ?? []), attemptDetail(attempt)],
      ...(err.cause ? { cause: err.cause } : {}),
      ...(err.nextRetryDelay ? { nextRetryDelay: err.nextRetryDelay } : {}),
      ...(err.category ? { category: err.category } : {}),
    });
    copy.stack = err.stack;
    return copy;
  }
  if (err instanceof TemporalFailure || !(err instanceof Error)) return err;
  // What the SDK would make of a plain error (type = the error's name, retryable), plus the attempt.
  const copy = ApplicationFailure.create({ message: err.message, type: err.name, details: [attemptDetail(attempt)] });
  copy.stack = err.stack;
  return copy;
}

/**
 * Reports the attempt number with every activity result and failure (protocol: src/contracts/attempt-report.ts),
 * so a workflow's step progress says how many attempts each step took without reading its own history.
 */
export const attemptReportInterceptor: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    execute: async (input, next) => {
      const attempt = ctx.info.attempt;
      try {
        return reportAttempt(await next(input), attempt);
      } catch (err) {
        throw withAttempt(err, attempt);
      }
    },
  },
});
