import type { Priority } from '@temporalio/common';
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseStatus, CaseTier } from '../domain/crisis/types';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { CrisisPolicy } from './crisis-case.policy';

/** Crisis work jumps the queue: priority 1 (highest) on the critical task queue, with its own worker slots. */
export const CRISIS_PRIORITY: Priority = { priorityKey: 1 };

export interface CrisisCaseInput {
  caseId: string;
  userId: string;
  tier: CaseTier;
  entryId: string;
  /** The policy table as it was when the case opened (later changes do not alter a running case). */
  policy: CrisisPolicy;
  /** CRISIS_TIME_SCALE: every deadline and follow-up delay is multiplied by it. */
  timeScale: number;
  /** State carried over by continue-as-new; absent on the first run. */
  carried?: { status: CaseStatus; level: number; acknowledgedBy?: string; followUpsDone: number; resolvedAt?: number };
}

export interface CaseProgress {
  caseId: string;
  status: CaseStatus;
  tier: CaseTier;
  level: number;
  recipient: string;
  ackDeadline?: string;
  acknowledgedBy?: string;
  followUpsDone: number;
}

export interface FlaggedEntry {
  entryId: string;
  tier: CaseTier;
}

/** A flagged journal entry joins the person's case (signal-with-start: it opens one when none is open). */
export const flaggedSignal = defineSignal<[FlaggedEntry]>('flagged');
export const acknowledgeUpdate = defineUpdate<
  { caseId: string; status: CaseStatus; acknowledgedBy: string; duplicate: boolean },
  [{ staffId: string }]
>('acknowledge');
export const resolveUpdate = defineUpdate<
  { caseId: string; status: CaseStatus },
  [{ staffId: string; outcome: string }]
>('resolve');
export const caseProgressQuery = defineProgressQuery<CaseProgress>();

/**
 * `crisis-<userId>`: one open case per person, not per entry. Every flagged entry of the same person
 * signals this id, so staff see one case with every entry on its timeline, and two risky entries a minute
 * apart never page two people. A closed case's id is reused by the person's next case.
 */
export const caseWorkflowId = (userId: string) => `crisis-${userId}`;

export const crisisCaseContract: WorkflowContract<CrisisCaseInput> = {
  workflowType: 'crisisCase',
  taskQueue: 'critical',
  priority: CRISIS_PRIORITY,
  workflowId: (input) => caseWorkflowId(input.userId),
  searchAttributes: (input) => ownedBy(input.userId, 'open' satisfies CaseStatus),
  // The person is told about support in their entry; the case's ladder and recipients are for staff.
  staffOnly: true,
};
