import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Database, Db } from '../db/client';
import { createIdempotencyRepository } from '../db/repositories/idempotency';
import { createMealRepository, type MealAnalysisRow, type MealRow } from '../db/repositories/meals';
import { QUEUES } from '../temporal/queues';
import { StatusKey, UserIdKey } from '../temporal/search-attributes';
import { describeMealUpdate, type MealAnalysisInput, type MealProgress } from '../workflows/meal-analysis';
import { MEAL_ANALYSIS_STEPS } from '../workflows/meal-analysis.policy';
import type { StepProgress } from '../workflows/policy';
import { mergeAttempts } from '../temporal/step-attempts';
import { AppError } from './errors';
import { queryWithin } from './workflow-views';

export const MEAL_TYPES = ['breakfast', 'lunch', 'dinner', 'snack', 'unspecified'] as const;
export type MealType = (typeof MEAL_TYPES)[number];
export type MealStatus = 'queued' | 'running' | 'needs_input' | 'completed' | 'failed' | 'cancelled';

export interface StartMealInput {
  userId: string;
  description?: string;
  /** Image store key of the already validated, stripped photo. */
  imageKey?: string;
  eatenAt?: Date;
  mealType?: MealType;
  idempotencyKey?: string;
  requestId: string;
}

export const mealWorkflowId = (mealId: string) => `meal-${mealId}`;

/**
 * Starting a meal: claim the Idempotency-Key and store the meal in one transaction, then start
 * `meal-<mealId>`. If Temporal refuses the start, the meal and the key are removed again, so a failed
 * request changes nothing and can simply be retried.
 */
export function createMealService(deps: { database: Database; temporal: Client; idempotencyTtlHours: number; inputTimeout: string }) {
  const meals = createMealRepository(deps.database.db);
  const keys = createIdempotencyRepository(deps.database.db, deps.idempotencyTtlHours);

  async function start(input: StartMealInput): Promise<{ mealId: string; workflowId: string; replayed: boolean }> {
    const requestHash = createHash('sha256')
      .update(JSON.stringify(['POST /v1/meals', input.description ?? null, input.imageKey ?? null, input.eatenAt?.toISOString() ?? null, input.mealType ?? null]))
      .digest('hex');
    if (input.idempotencyKey) {
      const existing = await keys.find(input.userId, input.idempotencyKey);
      if (existing) return replay(existing, requestHash);
    }
    const mealId = randomUUID();
    const workflowId = mealWorkflowId(mealId);
    const claimed = await deps.database.db.transaction(async (tx) => {
      if (input.idempotencyKey) {
        const ok = await keys.claim(tx as unknown as Db, input.userId, input.idempotencyKey, { requestHash, resourceType: 'meal', resourceId: mealId });
        if (!ok) return false;
      }
      await createMealRepository(tx as unknown as Db).insert({
        id: mealId,
        userId: input.userId,
        description: input.description ?? null,
        eatenAt: input.eatenAt ?? new Date(),
        mealType: input.mealType ?? 'unspecified',
        imageKey: input.imageKey ?? null,
        workflowId,
      });
      return true;
    });
    if (!claimed) {
      // A concurrent request with the same key won the race: answer with its meal.
      const winner = await keys.find(input.userId, input.idempotencyKey!);
      if (winner) return replay(winner, requestHash);
      throw new AppError('conflict', 'idempotency_in_progress', 'A request with this Idempotency-Key is in progress');
    }
    const args: MealAnalysisInput = { mealId, userId: input.userId, requestId: input.requestId, inputTimeout: deps.inputTimeout };
    try {
      await deps.temporal.workflow.start('mealAnalysis', {
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
        await meals.delete(mealId).catch(() => {});
        if (input.idempotencyKey) await keys.release(input.userId, input.idempotencyKey).catch(() => {});
        throw new AppError('unavailable', 'workflow_start_failed', 'The meal could not be queued for analysis; nothing was stored. Please retry.');
      }
    }
    return { mealId, workflowId, replayed: false };
  }

  function replay(rec: { requestHash: string; resourceId: string }, requestHash: string) {
    if (rec.requestHash !== requestHash) {
      throw new AppError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body');
    }
    return { mealId: rec.resourceId, workflowId: mealWorkflowId(rec.resourceId), replayed: true };
  }

  /** Live status from Temporal while the run is open; the meal's recorded outcome once it has one. */
  async function status(meal: MealRow): Promise<LiveStatus> {
    if (meal.outcome) {
      return { status: meal.outcome as MealStatus, steps: (meal.steps as StepProgress[] | null) ?? [], warnings: [] };
    }
    try {
      const desc = await deps.temporal.workflow.getHandle(meal.workflowId).describe();
      if (desc.status.name === 'RUNNING') {
        const progress = await queryWithin<MealProgress>(deps.temporal, meal.workflowId, 'progress');
        // A step being retried right now: its live attempt number and last error come from the server.
        const pending = (desc.raw.pendingActivities ?? []).map((p) => ({ activityType: p.activityType?.name ?? undefined, attempt: p.attempt ?? 1, lastFailure: p.lastFailure ? { message: p.lastFailure.message ?? undefined } : undefined }));
        const steps = mergeAttempts(progress?.steps ?? [], MEAL_ANALYSIS_STEPS, new Map(), pending);
        return { status: progress?.status ?? 'queued', steps, warnings: progress?.warnings ?? [], ...(progress?.question ? { question: progress.question } : {}) };
      }
      // Closed without writing an outcome (terminated by an operator, or timed out).
      return { status: desc.status.name === 'CANCELLED' ? 'cancelled' : 'failed', steps: [], warnings: [] };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'queued', steps: [], warnings: [] };
      throw err;
    }
  }

  /**
   * Answers a meal waiting in needs_input. The workflow's update validator is the single authority on
   * "waiting": a meal in any other state is a 409 and nothing is stored.
   */
  async function describe(meal: MealRow, description: string): Promise<void> {
    if (meal.outcome) throw new AppError('conflict', 'meal_not_waiting', `This meal is ${meal.outcome}; it is not waiting for a description`);
    try {
      await deps.temporal.workflow.getHandle(meal.workflowId).executeUpdate(describeMealUpdate, { args: [description] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
        throw new AppError('conflict', 'meal_not_waiting', 'This meal is not waiting for a description');
      }
      throw err;
    }
  }

  return { start, status, describe, meals };
}

export interface LiveStatus {
  status: MealStatus;
  steps: StepProgress[];
  warnings: string[];
  /** What the meal is asking, while it waits in needs_input. */
  question?: string;
}

export type MealService = ReturnType<typeof createMealService>;

export function mealView(meal: MealRow, analysis: MealAnalysisRow | undefined, live: LiveStatus) {
  return {
    mealId: meal.id,
    workflowId: meal.workflowId,
    status: live.status,
    eatenAt: meal.eatenAt.toISOString(),
    mealType: meal.mealType,
    description: meal.description,
    hasImage: meal.imageKey !== null,
    ...(live.question ? { question: live.question } : {}),
    steps: live.steps,
    items: (analysis?.items as unknown[] | undefined) ?? [],
    totals: analysis?.totals ?? null,
    confidence: analysis?.confidence ?? null,
    feedback: analysis?.feedback ?? [],
    warnings: [...((analysis?.warnings as string[] | undefined) ?? []), ...live.warnings],
    error: meal.outcome === 'failed' ? meal.outcomeReason : undefined,
  };
}
