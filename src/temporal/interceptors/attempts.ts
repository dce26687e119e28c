import { ApplicationFailure, type Context } from '@temporalio/activity';
import { TemporalFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { attemptDetail, reportAttempt } from '../../contracts/attempt-report';
import { redactText, safeMessage, safeStack } from '../../observability/redact';

/**
 * A plain error as the failure Temporal stores. A failure's message and stack trace are NOT payloads: the codec
 * does not encrypt them, they sit in history in clear (and the SDK logs them). So the message and stack are
 * redacted: a drizzle error keeps its SQL with placeholders and the SQLSTATE, not its parameters.
 */
function safeFailure(err: Error, details: unknown[] = []): ApplicationFailure {
  const copy = ApplicationFailure.create({
    message: safeMessage(err),
    type: err.name,
    ...(details.length ? { details } : {}),
  });
  copy.stack = safeStack(err);
  return copy;
}

/** A cause to keep in a failure chain: Temporal's own failures as they are, any other error redacted. */
function safeCause(cause: Error | undefined): Error | undefined {
  if (!cause || cause instanceof TemporalFailure) return cause;
  return safeFailure(cause);
}

/** A failure of this attempt, carrying the attempt number; cancellations and Temporal's own failures pass as they are. */
function withAttempt(err: unknown, attempt: number): unknown {
  if (err instanceof ApplicationFailure) {
    const cause = safeCause(err.cause);
    const copy = ApplicationFailure.create({
      message: redactText(err.message),
      type: err.type ?? undefined,
      nonRetryable: err.nonRetryable ?? false,
      details: [...(err.details ?? []), attemptDetail(attempt)],
      ...(cause ? { cause } : {}),
      ...(err.nextRetryDelay ? { nextRetryDelay: err.nextRetryDelay } : {}),
      ...(err.category ? { category: err.category } : {}),
    });
    copy.stack = err.stack === undefined ? undefined : redactText(err.stack);
    return copy;
  }
  if (err instanceof TemporalFailure || !(err instanceof Error)) return err;
  // What the SDK would make of a plain error (type = the error's name, retryable), plus the attempt; redacted.
  return safeFailure(err, [attemptDetail(attempt)]);
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
