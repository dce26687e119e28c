import {
  CancellationScope,
  ChildWorkflowFailure,
  type ChildWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { MealActivities } from '../activities/meals';
import { startOptionsOf } from '../contracts/contract';
import { type MealAnalysisInput, mealAnalysisContract } from '../contracts/meal-analysis';
import { MEAL_ANALYSIS_STEPS } from '../contracts/meal-analysis.policy';
import {
  type BatchProgress,
  batchProgressQuery,
  DEFAULT_BATCH_CONCURRENCY,
  MAX_BATCH_CONCURRENCY,
  type MealBatchInput,
} from '../contracts/meal-batch';
import { StatusKey } from '../contracts/search-attributes';
import { BATCH_ITEM_STATUSES, type BatchItemStatus } from '../domain/meals/vocabulary';
import { mealAnalysis } from './meal-analysis';
import { activityOptions, describeFailure } from './step-runner';

// Same policy as the meal's own close step: cancelled batch items must end with an outcome.
const { closeUnstartedMeals } = proxyActivities<MealActivities>(activityOptions(MEAL_ANALYSIS_STEPS.close));

/**
 * Runs one `mealAnalysis` child per meal, at most `concurrency` at once, tolerating item failures (each
 * failure is recorded with its reason). Cancelling the batch cancels its running children and closes the
 * meals that never started.
 */
export async function mealBatch(input: MealBatchInput): Promise<BatchProgress> {
  const cap = Math.min(Math.max(1, input.concurrency ?? DEFAULT_BATCH_CONCURRENCY), MAX_BATCH_CONCURRENCY);
  const items: BatchItem[] = input.mealIds.map((mealId) => ({ mealId, status: 'queued' }));
  let status: BatchProgress['status'] = 'running';
  let running = 0;
  let maxRunning = 0;
  const progress = (): BatchProgress => {
    const counts = Object.fromEntries(BATCH_ITEM_STATUSES.map((st) => [st, 0])) as Record<BatchItemStatus, number>;
    for (const i of items) counts[i.status]++;
    return {
      status,
      total: items.length,
      counts,
      maxRunning,
      items: items.map((i) => ({ mealId: i.mealId, status: i.status, ...(i.error ? { error: i.error } : {}) })),
    };
  };
  setHandler(batchProgressQuery, progress);
  upsertSearchAttributes([{ key: StatusKey, value: 'running' }]);

  try {
    // A fixed pool of `cap` lanes, each taking the next queued item: never more than `cap` children at once.
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++]!;
        running++;
        maxRunning = Math.max(maxRunning, running);
        try {
          await runItem(item, input.userId);
        } finally {
          running--;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(cap, items.length) }, lane));
    status = 'completed';
    upsertSearchAttributes([{ key: StatusKey, value: 'completed' }]);
    return progress();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    status = 'cancelled';
    const unstarted = items.filter((i) => i.status === 'queued');
    for (const i of unstarted) i.status = 'cancelled';
    await CancellationScope.nonCancellable(() =>
      closeUnstartedMeals({
        mealIds: unstarted.map((i) => i.mealId),
        reason: 'cancelled by request (batch cancelled before this meal started)',
      }),
    );
    upsertSearchAttributes([{ key: StatusKey, value: 'cancelled' }]);
    throw err;
  }
}

interface BatchItem {
  mealId: string;
  status: BatchItemStatus;
  error?: string;
}

/** One meal as a child run: its status and failure reason land on the item; a cancellation propagates. */
async function runItem(item: BatchItem, userId: string): Promise<void> {
  const args: MealAnalysisInput = { mealId: item.mealId, userId };
  let child: ChildWorkflowHandle<typeof mealAnalysis>;
  try {
    child = await startChild(mealAnalysis, {
      // The meal's own contract: the same id, queue and search attributes as a meal started alone.
      ...startOptionsOf(mealAnalysisContract, args),
      args: [args],
      // A batch that is closed or terminated asks its children to stop too, instead of leaving orphans.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    item.status = 'failed';
    item.error = describeFailure(err);
    return;
  }
  item.status = 'running';
  try {
    await child.result();
    item.status = 'completed';
  } catch (err) {
    if (isCancellation(err) || (err instanceof ChildWorkflowFailure && isCancellation(err.cause))) {
      item.status = 'cancelled';
      if (isCancellation(err)) throw err;
      return;
    }
    item.status = 'failed';
    item.error = describeFailure(err instanceof ChildWorkflowFailure && err.cause ? err.cause : err);
  }
}
