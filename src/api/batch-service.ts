import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Database, Db } from '../db/client';
import { type BatchRow, createBatchRepository } from '../db/repositories/batches';
import { createIdempotencyRepository } from '../db/repositories/idempotency';
import { createMealRepository } from '../db/repositories/meals';
import { QUEUES } from '../temporal/queues';
import { StatusKey, UserIdKey } from '../temporal/search-attributes';
import { type BatchItemStatus, type BatchProgress, DEFAULT_BATCH_CONCURRENCY, type MealBatchInput } from '../workflows/meal-batch';
import { AppError } from './errors';
import { mealWorkflowId, type MealType } from './meal-service';
import { queryWithin } from './workflow-views';

export interface BatchItemInput {
  description: string;
  eatenAt?: string;
  mealType?: MealType;
}

export const batchWorkflowId = (batchId: string) => `meal-batch-${batchId}`;

/**
 * A batch: the batch row, every meal row and the Idempotency-Key in one transaction, then one parent run
 * (`meal-batch-<id>`) that starts a child per meal. A refused start removes them again (nothing stored).
 */
export function createBatchService(deps: { database: Database; temporal: Client; idempotencyTtlHours: number }) {
  const batches = createBatchRepository(deps.database.db);
  const meals = createMealRepository(deps.database.db);
  const keys = createIdempotencyRepository(deps.database.db, deps.idempotencyTtlHours);

  async function start(input: { userId: string; items: BatchItemInput[]; concurrency?: number; idempotencyKey?: string; requestId: string }) {
    const requestHash = createHash('sha256').update(JSON.stringify(['POST /v1/meals/batch', input.items, input.concurrency ?? null])).digest('hex');
    const replay = (rec: { requestHash: string; resourceId: string }) => {
      if (rec.requestHash !== requestHash) throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body');
      return { batchId: rec.resourceId, workflowId: batchWorkflowId(rec.resourceId), replayed: true };
    };
    if (input.idempotencyKey) {
      const existing = await keys.find(input.userId, input.idempotencyKey);
      if (existing) return replay(existing);
    }
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
    const claimed = await deps.database.db.transaction(async (tx) => {
      if (input.idempotencyKey) {
        const ok = await keys.claim(tx as unknown as Db, input.userId, input.idempotencyKey, { requestHash, resourceType: 'meal_batch', resourceId: batchId });
        if (!ok) return false;
      }
      await createBatchRepository(tx as unknown as Db).insert({ id: batchId, userId: input.userId, workflowId, itemCount: rows.length, concurrency });
      await createMealRepository(tx as unknown as Db).insertMany(rows);
      return true;
    });
    if (!claimed) {
      const winner = await keys.find(input.userId, input.idempotencyKey!);
      if (winner) return replay(winner);
      throw new AppError('conflict', 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress');
    }
    const args: MealBatchInput = { batchId, userId: input.userId, mealIds: rows.map((r) => r.id), concurrency, requestId: input.requestId };
    try {
      await deps.temporal.workflow.start('mealBatch', {
        workflowId,
        taskQueue: QUEUES.default,
        args: [args],
        typedSearchAttributes: [
          { key: UserIdKey, value: input.userId },
          { key: StatusKey, value: 'queued' },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        await batches.delete(batchId).catch(() => {});
        for (const r of rows) await meals.delete(r.id).catch(() => {});
        if (input.idempotencyKey) await keys.release(input.userId, input.idempotencyKey).catch(() => {});
        throw new AppError('unavailable', 'workflow_start_failed', 'The batch could not be queued; nothing was stored. Please retry.');
      }
    }
    return { batchId, workflowId, replayed: false };
  }

  /** Live progress from the batch run while it is open; each meal's recorded outcome once it has one. */
  async function view(batch: BatchRow) {
    const stored = await meals.listBatch(batch.id);
    let runStatus: 'running' | 'completed' | 'cancelled' | 'failed' = 'running';
    let live: BatchProgress | undefined;
    try {
      const desc = await deps.temporal.workflow.getHandle(batch.workflowId).describe();
      const name = desc.status.name;
      runStatus = name === 'RUNNING' ? 'running' : name === 'COMPLETED' ? 'completed' : name === 'CANCELLED' ? 'cancelled' : 'failed';
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
    return { batchId: batch.id, workflowId: batch.workflowId, status: runStatus, total: batch.itemCount, concurrency: batch.concurrency, counts, items };
  }

  return { start, view, batches };
}
