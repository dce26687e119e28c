import { createAccountExportRepository, exportsDirOf } from '../../db/repositories/account-exports';
import type { PassResult } from '../../domain/maintenance/types';
import type { MaintenanceContext } from './context';
import { MAINTENANCE_BATCH, untilDoneOrBudget } from './pass';

/**
 * The cleanup chore, part three: account export archives past their 24 h (docs/account-lifecycle.md, Export).
 * The file goes; the row stays, marked, so the person's GET /v1/me/export/{id} answers "expired".
 */
export function exportCleanupActivities({ deps, log }: MaintenanceContext) {
  const exports = createAccountExportRepository(deps.database.db, exportsDirOf(deps.config.dataDir));
  return {
    async deleteExpiredExports(input: { asOf: string }): Promise<PassResult> {
      const cutoff = new Date(input.asOf);
      let deleted = 0;
      const done = await untilDoneOrBudget(async () => {
        const rows = await exports.expired(cutoff, MAINTENANCE_BATCH);
        for (const row of rows) await exports.expire(row.id);
        deleted += rows.length;
        return rows.length === MAINTENANCE_BATCH;
      });
      if (deleted) log().info({ deleted }, 'expired account exports deleted');
      return { counts: { deleted }, cutoff: cutoff.toISOString(), done };
    },
  };
}
