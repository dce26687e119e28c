import { defineUpdate } from '@temporalio/workflow';
import type { GateResult, ModelScore } from '../domain/models/evaluation';
import { defineProgressQuery, type WorkflowContract } from './contract';
import { StatusKey } from './search-attributes';
import type { StepProgress } from './steps';

/**
 * Who started the run: an admin's id, or `schedule` (the monthly declared schedule). The run's id is its
 * workflow id, read inside the run: a scheduled run's id is the schedule's, with Temporal's timestamp.
 */
export interface ModelRetrainingInput {
  requestedBy: string;
  /** Set by the API (a fresh UUID per request); absent for scheduled runs. */
  retrainingId?: string;
}

/** Where a run is, as the status query and the row report it. */
export type RetrainingStatus =
  | 'running'
  | 'awaiting_approval'
  | 'canary'
  | 'promoted'
  | 'stopped_at_gate'
  | 'rejected'
  | 'approval_timed_out'
  | 'rolled_back'
  | 'failed'
  | 'cancelled';

/** A model by name and version (undefined version: the server's default). */
export interface ModelVersionRef {
  model: string;
  version?: string;
}

export interface RetrainingEvaluation {
  current: ModelScore;
  candidate: ModelScore;
  gate: GateResult;
}

/** What the run settled with: also stored as the row's report and shown by `GET /v1/admin/model-retrainings/{id}`. */
export interface ModelRetrainingResult {
  status: RetrainingStatus;
  candidate?: ModelVersionRef;
  evaluation?: RetrainingEvaluation;
  reason?: string;
}

export interface ModelRetrainingProgress extends ModelRetrainingResult {
  steps: StepProgress[];
}

export const modelRetrainingProgressQuery = defineProgressQuery<ModelRetrainingProgress>();

/** An admin's decision on a candidate that passed the gate. */
export interface RetrainingDecision {
  decision: 'approve' | 'reject';
  /** The admin's id (the API takes it from the token, never from the body). */
  by: string;
}

/**
 * Approve or reject the candidate. The validator refuses it unless the run is waiting for approval (before the
 * gate, after a decision, after the timeout), so a late or second decision is an error to the caller and
 * leaves no trace in history.
 */
export const decideRetrainingUpdate = defineUpdate<{ status: RetrainingStatus }, [RetrainingDecision]>('decide');

/**
 * `model-retraining-<uuid>` for an admin's run (a retried request with the same id finds the same run); the
 * monthly schedule's runs are `model-retraining-monthly-<timestamp>` (its declaration's id). One unfinished run
 * at a time is enforced by the database (model_retrainings_one_active_idx), not by the id: runs must not share
 * an id, since each keeps its own report.
 */
export const modelRetrainingWorkflowId = (retrainingId: string) => `model-retraining-${retrainingId}`;

/** The workflow type, for the schedule declaration (data, so it names the type). */
export const MODEL_RETRAINING = 'modelRetraining';

export const modelRetrainingContract: WorkflowContract<ModelRetrainingInput> = {
  workflowType: MODEL_RETRAINING,
  taskQueue: 'default',
  workflowId: (input) => modelRetrainingWorkflowId(input.retrainingId ?? 'manual'),
  searchAttributes: () => [{ key: StatusKey, value: 'running' satisfies RetrainingStatus }],
  // Admin work: people never see it (it belongs to no one's UserId anyway).
  staffOnly: true,
};
