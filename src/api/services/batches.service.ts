import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { mealWorkflowId } from '../../contracts/meal-analysis';
import {
  type BatchProgress,
  batchProgressQuery,
  batchWorkflowId,
  DEFAULT_BATCH_CONCURRENCY,
} from '../../contracts/meal-batch';
import type { Database } from '../../db/client';
import { type BatchRow, createBatchRepository } from '../../db/repositories/batches';
import { createMealRepository } from '../../db/repositories/meals';
import { BATCH_ITEM_STATUSES, type BatchItemStatus } from '../../domain/meals/vocabulary';
import type { Logger } from '../../logger';
import { queryWithin, startWorkflow, withTemporalDeadline } from '../../temporal/workflow-client';
import { mealBatch } from '../../workflows/meal-batch';
import { notFound } from '../errors';
import { isUuid } from '../schemas/common';
import type { BatchItem, BatchView } from '../schemas/meals';
import { createIdempotentStarter } from './idempotent-start';

/** Temporal's execution status of the batch run, as the batch view names it. */
const RUN_STATUS: Record<string, BatchView['status']> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

/** The batch's meal rows, in submission order; a meal without a time was eaten when the batch arrived. */
function mealRows(batchId: string, userId: string, items: BatchItem[]) {
  const now = Date.now();
  return items.map((item, batchIndex) => {
    const id = randomUUID();
    return {
      id,
      userId,
      description: item.description,
      eatenAt: item.eatenAt ? new Date(item.eatenAt) : new Date(now),
      mealType: item.mealType ?? 'unspecified',
      workflowId: mealWorkflowId(id),
      batchId,
      batchIndex,
    };
  });
}

/** Each meal's recorded outcome once it has one, else its live status from the batch run; and the counts. */
function itemsOf(
  stored: { id: string; outcome: string | null; outcomeReason: string | null }[],
  live: BatchProgress | undefined,
) {
  const liveById = new Map(live?.items.map((i) => [i.mealId, i]));
  const items = stored.map((m) => {
    const l = liveById.get(m.id);
    const status = (m.outcome ?? l?.status ?? 'queued') as BatchItemStatus;
    const error = m.outcome === 'failed' ? (m.outcomeReason ?? undefined) : l?.error;
    return { mealId: m.id, status, ...(error ? { error } : {}) };
  });
  const counts = Object.fromEntries(BATCH_ITEM_STATUSES.map((s) => [s, 0])) as Record<BatchItemStatus, number>;
  for (const i of items) counts[i.status]++;
  return { items, counts };
}

/**
 * A batch: the batch row and every meal row stored idempotently (idempotent-start.ts), then one parent run
 * (`meal-batch-<id>`) that starts a child per meal.
 */
export function createBatchService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  idempotencyTtlHours: number;
}) {
  const batches = createBatchRepository(deps.database.db);
  const meals = createMealRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours, deps.logger);

  async function start(input: { userId: string; items: BatchItem[]; concurrency?: number; idempotencyKey?: string }) {
    const batchId = randomUUID();
    const concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    const rows = mealRows(batchId, input.userId, input.items);
    const r = await startOnce({
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      request: [
        'POST /v1/meals/batch',
        input.items.map((i) => ({ description: i.description, eatenAt: i.eatenAt, mealType: i.mealType })),
        input.concurrency ?? null,
      ],
      resourceType: 'meal_batch',
      resourceId: batchId,
      what: 'batch',
      insert: async (tx) => {
        await createBatchRepository(tx).insert({
          id: batchId,
          userId: input.userId,
          workflowId: batchWorkflowId(batchId),
          itemCount: rows.length,
          concurrency,
        });
        await createMealRepository(tx).insertMany(rows);
      },
      start: () =>
        startWorkflow(deps.temporal, mealBatch, {
          batchId,
          userId: input.userId,
          mealIds: rows.map((m) => m.id),
          concurrency,
        }),
      // Meals first (they point at the batch), then the batch.
      undo: async () => {
        await meals.deleteBatch(batchId);
        await batches.delete(batchId);
      },
    });
    return { batchId: r.resourceId, workflowId: batchWorkflowId(r.resourceId), replayed: r.replayed };
  }

  /** The batch run's status, and its live progress while it is open. */
  async function run(batch: BatchRow): Promise<{ status: BatchView['status']; live?: BatchProgress }> {
    try {
      const desc = await withTemporalDeadline(deps.temporal, () =>
        deps.temporal.workflow.getHandle(batch.workflowId).describe(),
      );
      const status = RUN_STATUS[desc.status.name] ?? 'failed';
      if (status !== 'running') return { status };
      return { status, live: await queryWithin(deps.temporal, batch.workflowId, batchProgressQuery) };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return { status: 'running' };
    }
  }

  /** The caller's batch: live progress from the batch run while it is open; each meal's recorded outcome once it has one. */
  async function get(batchId: string, userId: string): Promise<BatchView> {
    const batch = isUuid(batchId) ? await batches.getOwned(batchId, userId) : undefined;
    if (!batch) throw notFound('meal_batch', batchId);
    const stored = await meals.listBatch(batch.id);
    const { status, live } = await run(batch);
    const { items, counts } = itemsOf(stored, live);
    return {
      batchId: batch.id,
      workflowId: batch.workflowId,
      status,
      total: batch.itemCount,
      concurrency: batch.concurrency,
      counts,
      items,
    };
  }

  return { start, get };
}

export type BatchService = ReturnType<typeof createBatchService>;
