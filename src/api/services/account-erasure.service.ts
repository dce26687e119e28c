import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { createAccountErasureRepository } from '../../db/repositories/account-erasures';
import { type ErasureReceipt, type ErasureTrigger, receiptOf } from '../../domain/account/erasure';
import { requestErasure } from '../../temporal/account-erasure';
import type { Logger } from '../../logger';
import { notFound } from '../errors';
import { erasedAccounts } from '../middleware/erased-account';

/** Account erasure for the API (docs/account-lifecycle.md, Erasure): ask for it, read its receipt. */
export function createAccountErasureService(deps: { database: Database; temporal: Client; logger: Logger }) {
  const erasures = createAccountErasureRepository(deps.database.db);
  const accounts = erasedAccounts(deps.database, deps.logger);
  return {
    async erase(userId: string, trigger: ErasureTrigger) {
      const r = await requestErasure(deps, userId, trigger);
      // This process refuses the person's next request at once (other processes within the cache time).
      accounts.remember(userId);
      return {
        userId,
        workflowId: r.workflowId,
        status: r.row.completedAt ? ('completed' as const) : ('erasing' as const),
        alreadyRequested: r.alreadyRequested,
      };
    },
    async receipt(userId: string): Promise<ErasureReceipt> {
      const row = await erasures.get(userId);
      if (!row) throw notFound('erasure');
      return receiptOf(row);
    },
  };
}

export type AccountErasureService = ReturnType<typeof createAccountErasureService>;
