import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { stuckMealCutoff } from '../../domain/maintenance/cutoffs';
import { InvalidDuration } from '../../domain/maintenance/duration';
import type { PassResult } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { inChunks, MAINTENANCE_BATCH, untilDoneOrBudget } from './pass';

/** Concurrent describe/cancel calls to Temporal while closing stuck meals: quick, but not a burst of 500. */
const TEMPORAL_CONCURRENCY = 8;

export const ABANDONED_MEAL_REASON = 'abandoned: its run ended without closing the meal';

/** The cleanup chore, part two: meals left without an outcome (part one: cleanup.ts). */
export function stuckMealActivities({ deps, repo, log }: MaintenanceContext) {
  const { config, temporal } = deps;
  return {
    /**
     * Meals still without an outcome well past their input limit. A run that is still open is cancelled (its
     * own cancel path closes the meal with its steps); a run that is gone or ended cannot close it any more,
     * so the meal is failed here with a reason.
     */
    async closeStuckMeals(input: { asOf: string; after?: string }): Promise<PassResult> {
      let cutoff: Date;
      try {
        cutoff = stuckMealCutoff(input.asOf, config.MEAL_INPUT_TIMEOUT);
      } catch (err) {
        if (err instanceof InvalidDuration)
          throw ApplicationFailure.nonRetryable(err.message, 'InvalidMaintenanceConfig');
        throw err;
      }
      const counts = { found: 0, cancelled: 0, closed: 0 };
      let cursor = input.after;
      const done = await untilDoneOrBudget(async () => {
        const rows = await repo.stuckMeals(cutoff, cursor, MAINTENANCE_BATCH);
        const runGone: string[] = [];
        await inChunks(rows, TEMPORAL_CONCURRENCY, async (meal) => {
          const handle = temporal.workflow.getHandle(meal.workflowId);
          try {
            const { status } = await handle.describe();
            if (status.name === 'RUNNING') {
              await handle.cancel();
              counts.cancelled += 1;
              return;
            }
          } catch (err) {
            // Not found: never started, or already dropped by the namespace's retention. Anything else
            // (server down) is retried by the activity.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
          runGone.push(meal.id);
        });
        counts.closed += await repo.closeAbandonedMeals(runGone, ABANDONED_MEAL_REASON);
        counts.found += rows.length;
        if (rows.length) cursor = rows[rows.length - 1]!.id;
        return rows.length === MAINTENANCE_BATCH;
      });
      if (counts.found) log().info(counts, 'stuck meals handled');
      return { counts, cutoff: cutoff.toISOString(), done, ...(done || !cursor ? {} : { cursor }) };
    },
  };
}
