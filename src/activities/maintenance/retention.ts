import { InvalidImageKey } from '../../adapters/images/store';
import { daysBefore } from '../../domain/maintenance/cutoffs';
import type { PassResult } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { currentRun, MAINTENANCE_BATCH, untilDoneOrBudget } from './pass';

/** The retention chore: meal photos and journal texts past their retention period. */
export function retentionActivities({ deps, repo }: MaintenanceContext) {
  const { config, images } = deps;
  return {
    /**
     * Photos of meals created more than RETENTION_IMAGE_DAYS ago. Files first, then the rows: a crash in
     * between leaves rows that the retry finds again (deleting a missing file is not an error), never a
     * recorded deletion whose file is still there.
     */
    async expireMealImages(input: { asOf: string }): Promise<PassResult> {
      const run = currentRun();
      const cutoff = daysBefore(input.asOf, config.RETENTION_IMAGE_DAYS);
      const counts = { filesDeleted: 0, filesKept: 0 };
      const done = await untilDoneOrBudget(async () => {
        const rows = await repo.expiredMealImages(cutoff, MAINTENANCE_BATCH);
        const keys = [...new Set(rows.map((r) => r.imageKey))];
        const shared = await repo.keysReferencedOutside(
          keys,
          rows.map((r) => r.id),
        );
        for (const key of keys) {
          if (shared.has(key)) counts.filesKept += 1;
          else if (await deleteImage(key)) counts.filesDeleted += 1;
        }
        await repo.markMealImagesDeleted(rows, run.runId);
        return rows.length === MAINTENANCE_BATCH;
      });
      const recordedForRun = await repo.deletionsForRun(run.runId, 'meal_image');
      return { counts, cutoff: cutoff.toISOString(), done, recordedForRun };
    },

    async expireJournalTexts(input: { asOf: string }): Promise<PassResult> {
      const run = currentRun();
      const cutoff = daysBefore(input.asOf, config.RETENTION_JOURNAL_DAYS);
      const done = await untilDoneOrBudget(
        async () => (await repo.expireJournalTexts(cutoff, MAINTENANCE_BATCH, run.runId)) === MAINTENANCE_BATCH,
      );
      const recordedForRun = await repo.deletionsForRun(run.runId, 'journal_text');
      return { counts: {}, cutoff: cutoff.toISOString(), done, recordedForRun };
    },
  };

  /** A malformed key in a row cannot name a file: nothing to delete, and the row is still cleared. */
  async function deleteImage(key: string): Promise<boolean> {
    try {
      return await images.delete(key);
    } catch (err) {
      if (err instanceof InvalidImageKey) return false;
      throw err;
    }
  }
}
