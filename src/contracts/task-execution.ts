import { defineUpdate } from '@temporalio/workflow';
import type { ExecutionOutcome, ExecutionTrigger, TaskAnswer } from '../domain/routines/vocabulary';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

export interface TaskExecutionInput {
  taskId: string;
  userId: string;
  trigger: ExecutionTrigger;
  /** Manual runs only: what makes this run's id unique (the request's Idempotency-Key, or a fresh uuid). */
  runKey?: string;
}

/** What the begin step hands the workflow: everything later steps need, read once from PostgreSQL. */
export interface TaskRunPlan {
  /** False when the task is deleted, or paused and the run was not asked for by hand: nothing happens. */
  proceed: boolean;
  category: string;
  asksAnswer: boolean;
  /** How long each delivery waits for an answer before the run counts as missed. */
  windowSeconds: number;
  /** How long a snooze lasts (10 min; shorter only where the worker is configured so, for tests). */
  snoozeSeconds: number;
  credits: number;
  timezone: string;
}

/** The run's state, for the progress query and the update's validator. */
export type TaskRunState = 'starting' | 'delivering' | 'waiting' | 'snoozed' | 'recording' | 'finished';

export interface TaskRunProgress {
  state: TaskRunState;
  deliveries: number;
  /** ISO instant the current snooze ends, while snoozed. */
  snoozedUntil?: string;
  outcome?: ExecutionOutcome;
  steps: StepProgress[];
  warnings: string[];
}

export interface TaskRunResult {
  executionId: string;
  outcome: ExecutionOutcome | 'not_run';
  deliveries: number;
  streak?: number;
  milestone?: number;
}

export interface TaskAnswerResult {
  executionId: string;
  action: TaskAnswer;
  /** ISO instant the reminder comes back, for a snooze. */
  snoozedUntil?: string;
}

/**
 * The person's answer to a delivered reminder. The workflow's validator is the single authority on when
 * an answer is accepted: only while the run waits for one (not while snoozed, not after the outcome).
 */
export const taskAnswerUpdate = defineUpdate<TaskAnswerResult, [{ action: TaskAnswer }]>('answer');
export const taskProgressQuery = defineProgressQuery<TaskRunProgress>();

/** Most snoozes one run accepts: a reminder cannot be pushed back forever (6 × 10 min = an hour). */
export const MAX_SNOOZES = 6;

/**
 * `task-<taskId>`: the task's own Temporal Schedule, and the id prefix of the runs it starts (Temporal
 * appends the nominal time, so each occurrence is its own run and a retry of one never duplicates it).
 */
export const taskScheduleId = (taskId: string) => `task-${taskId}`;

/**
 * `task-<taskId>-manual-<runKey>`: a run asked for by hand (POST /v1/tasks/{id}/execute). The key is the
 * request's Idempotency-Key when it has one, so the same request twice is one run.
 */
export const manualTaskRunId = (taskId: string, runKey: string) => `task-${taskId}-manual-${runKey}`;

export const taskExecutionContract: WorkflowContract<TaskExecutionInput> = {
  workflowType: 'taskExecution',
  taskQueue: 'default',
  workflowId: (input) => manualTaskRunId(input.taskId, input.runKey ?? 'run'),
  searchAttributes: (input) => ownedBy(input.userId),
};
