import { createCrisisRetentionRepository } from '../../db/repositories/crisis-retention';
import { daysBefore } from '../../domain/maintenance/cutoffs';
import type { PassResult } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { currentRun, untilDoneOrBudget } from './pass';

/**
 * Cases per transaction. Smaller than MAINTENANCE_BATCH because each case takes its whole timeline with it (an
 * escalated case has tens of events): 100 cases keep one transaction to a few thousand rows.
 */
export const RETAINED_CASE_BATCH = 100;

/**
 * The retention chore, part three: crisis cases kept after their person's erasure, once the clinical record
 * period (RETENTION_CRISIS_CASE_DAYS, counted from the case's closure) has passed. Which cases qualify is
 * decided in one place, the repository (closed, erasure completed, closed before the cutoff).
 */
export function crisisRetentionActivities({ deps, log }: MaintenanceContext) {
  const repo = createCrisisRetentionRepository(deps.database.db);
  return {
    async expireRetainedCrisisCases(input: { asOf: string }): Promise<PassResult> {
      const run = currentRun();
      const cutoff = daysBefore(input.asOf, deps.config.RETENTION_CRISIS_CASE_DAYS);
      const done = await untilDoneOrBudget(
        async () => (await repo.deleteExpired(cutoff, RETAINED_CASE_BATCH, run.runId)).cases === RETAINED_CASE_BATCH,
      );
      // The run's tally, not this pass's sum: a pass retried after a crash still reports what the first try did.
      const tally = await repo.tallyForRun(run.runId);
      if (tally.cases) log().info({ ...tally }, 'retained crisis cases deleted');
      return {
        counts: {},
        cutoff: cutoff.toISOString(),
        done,
        recordedForRun: tally.cases,
        recorded: { timelineEvents: tally.timelineEvents },
      };
    },
  };
}
