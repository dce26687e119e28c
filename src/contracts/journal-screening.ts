import type { StepProgress } from './steps';
import type { Tier } from '../domain/crisis/types';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import { CRISIS_PRIORITY } from './crisis-case';

export interface JournalScreeningInput {
  entryId: string;
  userId: string;
}

export interface JournalScreeningResult {
  entryId: string;
  tier: Tier;
  caseWorkflowId?: string;
}

export const screeningProgressQuery = defineProgressQuery<{ steps: StepProgress[] }>();

/**
 * `journal-<entryId>`: one screening per entry, so a retried request (same Idempotency-Key, same entry)
 * never screens or escalates twice. Critical queue and crisis priority: an entry may be the one that
 * matters, so it never waits behind meals.
 */
export const journalWorkflowId = (entryId: string) => `journal-${entryId}`;

export const journalScreeningContract: WorkflowContract<JournalScreeningInput> = {
  workflowType: 'journalScreening',
  taskQueue: 'critical',
  priority: CRISIS_PRIORITY,
  workflowId: (input) => journalWorkflowId(input.entryId),
  searchAttributes: (input) => ownedBy(input.userId, 'queued'),
};
