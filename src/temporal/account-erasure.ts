import type { Client } from '@temporalio/client';
import { accountErasureWorkflowId } from '../contracts/account-erasure';
import type { Database } from '../db/client';
import { type AccountErasureRow, createAccountErasureRepository } from '../db/repositories/account-erasures';
import type { ErasureTrigger } from '../domain/account/erasure';
import { accountErasure } from '../workflows/account-erasure';
import { startWorkflow } from './workflow-client';

export interface ErasureRequested {
  workflowId: string;
  /** True when the erasure had already been asked for (running, or completed: then nothing was started). */
  alreadyRequested: boolean;
  row: AccountErasureRow;
}

/**
 * The one way an erasure is asked for (DELETE /v1/me, the admin route, the user.deleted consumer). The mark is
 * written first, before the run starts, so the person's token is refused from this moment even if Temporal is
 * slow to run the first step. A completed erasure is never started again (a redelivered event, a second click):
 * the receipt is returned. A mark without a completed run (running, or a run lost) starts the run again by its
 * id, which joins a running one.
 */
export async function requestErasure(
  deps: { database: Database; temporal: Client },
  userId: string,
  trigger: ErasureTrigger,
): Promise<ErasureRequested> {
  const erasures = createAccountErasureRepository(deps.database.db);
  const workflowId = accountErasureWorkflowId(userId);
  const before = await erasures.get(userId);
  if (before?.completedAt) return { workflowId, alreadyRequested: true, row: before };
  const row = before ?? (await erasures.mark({ userId, workflowId, trigger }));
  // The input's trigger is the first one's: a later trigger joins that run.
  const started = await startWorkflow(deps.temporal, accountErasure, {
    userId,
    trigger: row.trigger as ErasureTrigger,
  });
  return { workflowId, alreadyRequested: before !== undefined || started.alreadyStarted, row };
}
