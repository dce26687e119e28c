import type { ExportCounts } from '../domain/account/export-readme';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

/** Ids only: the person's data is read by the steps and never travels through the run's history. */
export interface AccountExportInput {
  exportId: string;
  userId: string;
}

export interface AccountExportResult {
  exportId: string;
  counts: ExportCounts;
  sizeBytes: number;
  expiresAt: string;
}

export type AccountExportState = 'staging' | 'packing' | 'finishing' | 'completed' | 'failed' | 'cancelled';

export interface AccountExportProgress {
  state: AccountExportState;
  /** Records written so far per kind (numbers only). */
  counts: ExportCounts;
  steps: StepProgress[];
  warnings: string[];
}

export const accountExportProgressQuery = defineProgressQuery<AccountExportProgress>();

/**
 * `account-export-<exportId>`: one run per export the person asked for. The export id is made by the API when
 * it claims the person's single running export (a partial unique index), so a second POST while one runs
 * returns that one and never starts a second run; an export after it is a new id and a new run.
 */
export const accountExportWorkflowId = (exportId: string) => `account-export-${exportId}`;

export const accountExportContract: WorkflowContract<AccountExportInput> = {
  workflowType: 'accountExport',
  taskQueue: 'default',
  workflowId: (input) => accountExportWorkflowId(input.exportId),
  // UserId: the person's run list shows it, and erasure finds (and cancels) it by person.
  searchAttributes: (input) => ownedBy(input.userId),
};
