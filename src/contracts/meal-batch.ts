import type { BatchItemStatus } from '../domain/meals/vocabulary';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';

export interface MealBatchInput {
  batchId: string;
  userId: string;
  /** Meals already stored by the API, in submission order. */
  mealIds: string[];
  /** Children running at once (default 8). */
  concurrency?: number;
}

export interface BatchProgress {
  status: 'running' | 'completed' | 'cancelled';
  total: number;
  counts: Record<BatchItemStatus, number>;
  /** Most children the batch ever had running at once (never above the cap). */
  maxRunning: number;
  items: { mealId: string; status: BatchItemStatus; error?: string }[];
}

export const batchProgressQuery = defineProgressQuery<BatchProgress>();

/**
 * Why 8: each meal run is a few short activities; 8 in flight keeps one default-queue worker busy without
 * letting a 500-item batch starve single meals people are waiting on. Callers may choose 1-32.
 */
export const DEFAULT_BATCH_CONCURRENCY = 8;
export const MAX_BATCH_CONCURRENCY = 32;

/**
 * `meal-batch-<batchId>`: one parent run per batch; its children keep the meals' own ids (`meal-<mealId>`),
 * so a meal looks the same whether it came alone or in a batch.
 */
export const batchWorkflowId = (batchId: string) => `meal-batch-${batchId}`;

export const mealBatchContract: WorkflowContract<MealBatchInput> = {
  workflowType: 'mealBatch',
  taskQueue: 'default',
  workflowId: (input) => batchWorkflowId(input.batchId),
  searchAttributes: (input) => ownedBy(input.userId, 'queued'),
};
