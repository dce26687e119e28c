import { hoursBefore } from '../../domain/maintenance/cutoffs';
import type { PassResult } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { checkpoint, MAINTENANCE_BATCH, PASS_BUDGET_MS, untilDoneOrBudget } from './pass';

/** The cleanup chore, part one: expired idempotency keys and orphan uploads (stuck meals: stuck-meals.ts). */
export function cleanupActivities({ deps, repo }: MaintenanceContext) {
  const { config, images } = deps;
  return {
    async deleteExpiredIdempotencyKeys(input: { asOf: string }): Promise<PassResult> {
      const cutoff = hoursBefore(input.asOf, config.IDEMPOTENCY_TTL_HOURS);
      let deleted = 0;
      const done = await untilDoneOrBudget(async () => {
        const n = await repo.deleteExpiredIdempotencyKeys(cutoff, MAINTENANCE_BATCH);
        deleted += n;
        return n === MAINTENANCE_BATCH;
      });
      return { counts: { deleted }, cutoff: cutoff.toISOString(), done };
    },

    /**
     * Photos no meal refers to and older than ORPHAN_UPLOAD_HOURS: uploads whose meal was never created, and
     * the model-sized copies the preprocess step stores for recognition (needed only minutes). Walks the store
     * in key order, so a pass that runs out of budget returns where to continue.
     * The reference check runs per batch right before the deletes: an upload of the same bytes as an old
     * orphan (put() reuses the file) and its meal row land within milliseconds, a window we accept.
     */
    async deleteOrphanUploads(input: { asOf: string; after?: string }): Promise<PassResult> {
      const cutoff = hoursBefore(input.asOf, config.ORPHAN_UPLOAD_HOURS);
      const counts = { scanned: 0, deleted: 0, referenced: 0 };
      const until = Date.now() + PASS_BUDGET_MS;
      let old: string[] = [];
      const flush = async () => {
        const used = await repo.referencedImageKeys(old);
        for (const key of old) {
          if (used.has(key)) counts.referenced += 1;
          else if (await images.delete(key)) counts.deleted += 1;
        }
        old = [];
        checkpoint();
      };
      for await (const image of images.list(input.after ? { after: input.after } : {})) {
        counts.scanned += 1;
        if (image.modifiedAt.getTime() < cutoff.getTime()) old.push(image.key);
        if (counts.scanned % MAINTENANCE_BATCH === 0) {
          await flush();
          // Everything up to this key is settled: the next pass starts after it.
          if (Date.now() >= until) return { counts, cutoff: cutoff.toISOString(), done: false, cursor: image.key };
        }
      }
      await flush();
      return { counts, cutoff: cutoff.toISOString(), done: true };
    },
  };
}
