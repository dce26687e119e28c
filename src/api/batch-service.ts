import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Database } from '../db/client';
import { type BatchRow, createBatchRepository } from '../db/repositories/batches';
import { createMealRepository } from '../db/repositories/meals';
import { QUEUES } from '../temporal/queues';
import { StatusKey, UserIdKey } from '../temporal/search-attributes';
import {
  type BatchItemStatus,
  type BatchProgress,
  DEFAULT_BATCH_CONCURRENCY,
  type MealBatchInput,
} from '../workflows/meal-batch';
import { createIdempotentStarter } from './idempotent-start';
import { mealWorkflowId, type MealType } from './meal-service';
import { queryWithin } from './workflow-views';

export interface BatchItemInput {
  description: string;
  eatenAt?: string;
  mealType?: MealType;
}

export const batchWorkflowId = (batchId: string) => `meal-batch-${batchId}`;

/**
 * A batch: the batch row and every meal row stored idempotently (idempotent-start.ts), then one parent run
 * (`meal-batch-<id>`) that starts a child per meal.
 */
export function createBatchService(deps: { database: Database; temporal: Client; idempotencyTtlHours: number }) {
  const batches = createBatchRepository(deps.database.db);
  const meals = createMealRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours);

  async function start(input: {
    userId: string;
    items: BatchItemInput[];
    concurrency?: number;
    idempotencyKey?: string;
    requestId: string;
  }) {
    const batchId = randomUUID();
    const workflowId = batchWorkflowId(batchId);
    const concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    const now = Date.now();
    const rows = input.items.map((item, batchIndex) => {
      const id = randomUUID();
      return {
        id,
        userId: input.userId,
        description: item.description,
        eatenAt: item.eatenAt ? new Date(item.eatenAt) : new Date(now),
        mealType: item.mealType ?? 'unspecified',
        workflowId: mealWorkflowId(id),
        batchId,
        batchIndex,
      };
    });
    const r = await startOnce({
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      request: ['POST /v1/meals/batch', input.items, input.concurrency ?? null],
      resourceType: 'meal_batch',
      resourceId: batchId,
      what: 'batch',
      insert: async (tx) => {
        await createBatchRepository(tx).insert({
          id: batchId,
          userId: input.userId,
          workflowId,
          itemCount: rows.length,
          concurrency,
        });
        await createMealRepository(tx).insertMany(rows);
      },
      start: () =>
        deps.temporal.workflow.start('mealBatch', {
          workflowId,
          taskQueue: QUEUES.default,
          args: [
            {
              batchId,
              userId: input.userId,
              mealIds: rows.map((m) => m.id),
              concurrency,
              requestId: input.requestId,
            } satisfies MealBatchInput,
          ],
          typedSearchAttributes: [
            { key: UserIdKey, value: input.userId },
            { key: StatusKey, value: 'queued' },
          ],
        }),
      // Meals first (they point at the batch), then the batch.
      undo: async () => {
        await meals.deleteBatch(batchId);
        await batches.delete(batchId);
      },
    });
    return { batchId: r.resourceId, workflowId: batchWorkflowId(r.resourceId), replayed: r.replayed };
  }

  /** Live progress from the batch run while it is open; each meal's recorded outcome once it has one. */
  async function view(batch: BatchRow) {
    const stored = await meals.listBatch(batch.id);
    let runStatus: 'running' | 'completed' | 'cancelled' | 'failed' = 'running';
    let live: BatchProgress | undefined;
    try {
      const desc = await deps.temporal.workflow.getHandle(batch.workflowId).describe();
      const name = desc.status.name;
      runStatus =
        name === 'RUNNING'
          ? 'running'
          : name === 'COMPLETED'
            ? 'completed'
            : name === 'CANCELLED'
              ? 'cancelled'
              : 'failed';
      if (name === 'RUNNING') live = await queryWithin<BatchProgress>(deps.temporal, batch.workflowId, 'progress');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const liveById = new Map(live?.items.map((i) => [i.mealId, i]));
    const items = stored.map((m) => {
      const l = liveById.get(m.id);
      const status = (m.outcome ?? l?.status ?? 'queued') as BatchItemStatus;
      const error = m.outcome === 'failed' ? (m.outcomeReason ?? undefined) : l?.error;
      return { mealId: m.id, status, ...(error ? { error } : {}) };
    });
    const counts: Record<BatchItemStatus, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const i of items) counts[i.status]++;
    return {
      batchId: batch.id,
      workflowId: batch.workflowId,
      status: runStatus,
      total: batch.itemCount,
      concurrency: batch.concurrency,
      counts,
      items,
    };
  }

  return { start, view, batches };
}
