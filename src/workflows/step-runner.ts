import {
  ActivityFailure,
  ApplicationFailure,
  type ActivityInterfaceFor,
  type ActivityOptions,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  TemporalFailure,
} from '@temporalio/workflow';
import type { StepPolicy, StepProgress } from '../contracts/steps';
import { takeAttempt } from './step-attempts';

/**
 * Runs workflow steps by their declared policy and keeps the progress a query reports: each step's status,
 * attempts and last error. Required steps rethrow; optional steps turn a failure into a warning.
 */
export function activityOptions(policy: StepPolicy): ActivityOptions {
  return {
    taskQueue: policy.queue,
    startToCloseTimeout: policy.startToCloseTimeout,
    scheduleToCloseTimeout: policy.scheduleToCloseTimeout,
    ...(policy.heartbeatTimeout ? { heartbeatTimeout: policy.heartbeatTimeout } : {}),
    retry: {
      initialInterval: policy.retry.initialInterval,
      backoffCoefficient: policy.retry.backoffCoefficient,
      maximumInterval: policy.retry.maximumInterval,
      ...(policy.retry.maximumAttempts !== undefined ? { maximumAttempts: policy.retry.maximumAttempts } : {}),
      nonRetryableErrorTypes: policy.retry.nonRetryableErrorTypes,
    },
  };
}

/** One activity proxy per step, so each step carries its own timeouts and retries. */
export function proxiesFor<A extends object, S extends string>(
  steps: Record<S, StepPolicy>,
): Record<S, ActivityInterfaceFor<A>> {
  const out = {} as Record<S, ActivityInterfaceFor<A>>;
  for (const name of Object.keys(steps) as S[]) {
    const p = steps[name];
    // Local and regular proxies are called the same way; the policy decides which one a step gets.
    out[name] = p.local
      ? (proxyLocalActivities<A>(activityOptions(p)) as unknown as ActivityInterfaceFor<A>)
      : proxyActivities<A>(activityOptions(p));
  }
  return out;
}

/** The same step table with `names` run as regular activities: how runs started before a step went local replay. */
export function asRegular<S extends string>(steps: Record<S, StepPolicy>, names: readonly S[]): Record<S, StepPolicy> {
  const out: Record<S, StepPolicy> = { ...steps };
  for (const name of names) out[name] = { ...steps[name], local: false };
  return out;
}

/** The error a client should see: the innermost application message, never a stack. */
export function describeFailure(err: unknown): string {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  if (cur instanceof ApplicationFailure) return cur.type ? `${cur.type}: ${cur.message}` : cur.message;
  return cur instanceof Error ? cur.message : String(cur);
}

export class StepTracker {
  readonly steps: StepProgress[];
  readonly warnings: string[] = [];

  constructor(policies: Record<string, StepPolicy>) {
    this.steps = Object.entries(policies).map(([name, p]) => ({
      name,
      activity: p.activity,
      status: 'pending',
      required: p.required,
      attempts: 0,
    }));
  }

  step(name: string): StepProgress {
    const s = this.steps.find((x) => x.name === name);
    if (!s) throw new Error(`unknown step ${name}`);
    return s;
  }

  /** Runs a required step: marks it running, then completed or failed, and rethrows failures. */
  async required<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const s = this.step(name);
    s.status = 'running';
    // While it runs the step shows one more attempt (the API adds Temporal's live attempt number); once it
    // settles, the attempts its last try reported (contracts/attempt-report.ts), or 1 when none was reported
    // (a timeout, or a result recorded before attempts were reported).
    const before = s.attempts;
    s.attempts = before + 1;
    takeAttempt(s.activity); // a stale report of an earlier call never counts for this one
    try {
      const out = await fn();
      s.attempts = before + (takeAttempt(s.activity) ?? 1);
      s.status = 'completed';
      delete s.error;
      return out;
    } catch (err) {
      s.attempts = before + (takeAttempt(s.activity) ?? 1);
      s.status = isCancellation(err) ? 'cancelled' : 'failed';
      s.error = describeFailure(err);
      throw err;
    }
  }

  /** Runs an optional step: a failure (not a cancellation) is recorded as a warning and returns undefined. */
  async optional<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.required(name, fn);
    } catch (err) {
      // An activity's failure: ActivityFailure for regular activities; a local activity's may arrive as the
      // bare failure (ApplicationFailure, TimeoutFailure). Anything else is a bug in workflow code: rethrown.
      if (isCancellation(err) || !(err instanceof ActivityFailure || err instanceof TemporalFailure)) throw err;
      this.warnings.push(`${name} did not complete: ${describeFailure(err)}`);
      return undefined;
    }
  }

  /** Steps that never ran (because an earlier step failed or the run was cancelled). */
  skipRemaining(except: string[] = []): void {
    for (const s of this.steps) if (s.status === 'pending' && !except.includes(s.name)) s.status = 'skipped';
  }
}
