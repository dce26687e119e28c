import type { ErasureCounts, ErasureTrigger } from '../domain/account/erasure';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

/** Ids only: nothing of the person's data passes through the run's history. */
export interface AccountErasureInput {
  userId: string;
  trigger: ErasureTrigger;
}

export interface AccountErasureResult {
  userId: string;
  counts: ErasureCounts;
  completedAt: string;
}

export type AccountErasureState = 'marking' | 'closing-runs' | 'deleting' | 'notifying' | 'completed';

export interface AccountErasureProgress {
  state: AccountErasureState;
  steps: StepProgress[];
  warnings: string[];
}

export const accountErasureProgressQuery = defineProgressQuery<AccountErasureProgress>();

/**
 * `erasure-<userId>`: one erasure per person, ever. A trigger while it runs joins it (already started); a
 * trigger after it completed is refused by the starter, which finds the completed receipt first
 * (src/temporal/account-erasure.ts), so the API, the admin route and a redelivered `user.deleted` all converge
 * on the same single run.
 */
export const accountErasureWorkflowId = (userId: string) => `erasure-${userId}`;

export const accountErasureContract: WorkflowContract<AccountErasureInput> = {
  workflowType: 'accountErasure',
  taskQueue: 'default',
  workflowId: (input) => accountErasureWorkflowId(input.userId),
  // UserId: admins find it by person. The erasure's own cancel step leaves it (and the crisis case) alone.
  searchAttributes: (input) => ownedBy(input.userId),
  // The person's token is refused (410) once the run starts; the run is operator work.
  staffOnly: true,
};
