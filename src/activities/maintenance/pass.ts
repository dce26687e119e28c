import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';

// How one maintenance pass runs: in batches, within a time budget, heartbeating between batches.

/** Rows (or files) per statement: one batch is a few hundred milliseconds of work, never a long lock. */
export const MAINTENANCE_BATCH = 500;
/**
 * A pass stops starting new batches after this long and lets the workflow call again: keeps every attempt
 * far inside its 5 min startToCloseTimeout however big the backlog, and a retry redoes at most one pass.
 */
export const PASS_BUDGET_MS = 60_000;

/** The run this activity belongs to: its run id keys `maintenance_runs` and `data_deletions`. */
export function currentRun(): { workflowId: string; runId: string } {
  const run = Context.current().info.workflowExecution;
  if (!run)
    throw ApplicationFailure.nonRetryable(
      'maintenance activities run only inside a workflow',
      'MaintenanceOutsideWorkflow',
    );
  return run;
}

/** Between batches: tell the server we are alive (and learn of a cancellation), then stop if cancelled. */
export function checkpoint(details?: unknown): void {
  const ctx = Context.current();
  ctx.heartbeat(details);
  if (ctx.cancellationSignal.aborted) throw new CancelledFailure('maintenance pass cancelled');
}

/** Runs `batch` until it reports no more work or the pass budget is spent; true when the work is done. */
export async function untilDoneOrBudget(batch: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + PASS_BUDGET_MS;
  for (;;) {
    if (!(await batch())) return true;
    checkpoint();
    if (Date.now() >= until) return false;
  }
}

export async function inChunks<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
