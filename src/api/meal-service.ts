import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Database } from '../db/client';
import { createMealRepository, type MealAnalysisRow, type MealRow } from '../db/repositories/meals';
import { QUEUES } from '../temporal/queues';
import { StatusKey, UserIdKey } from '../temporal/search-attributes';
import { describeMealUpdate, type MealAnalysisInput, type MealProgress } from '../workflows/meal-analysis';
import { MEAL_ANALYSIS_STEPS } from '../workflows/meal-analysis.policy';
import type { StepProgress } from '../workflows/policy';
import { mergeAttempts } from '../temporal/step-attempts';
import { AppError } from './errors';
import { createIdempotentStarter } from './idempotent-start';
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

/** Meals: start `meal-<mealId>` idempotently (see idempotent-start.ts), live status, answering needs_input. */
export function createMealService(deps: {
  database: Database;
  temporal: Client;
  idempotencyTtlHours: number;
  inputTimeout: string;
}) {
  const meals = createMealRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours);

  async function start(input: StartMealInput): Promise<{ mealId: string; workflowId: string; replayed: boolean }> {
    const mealId = randomUUID();
    const r = await startOnce({
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      request: [
        'POST /v1/meals',
        input.description ?? null,
        input.imageKey ?? null,
        input.eatenAt?.toISOString() ?? null,
        input.mealType ?? null,
      ],
      resourceType: 'meal',
      resourceId: mealId,
      what: 'meal',
      insert: (tx) =>
        createMealRepository(tx).insert({
          id: mealId,
          userId: input.userId,
          description: input.description ?? null,
          eatenAt: input.eatenAt ?? new Date(),
          mealType: input.mealType ?? 'unspecified',
          imageKey: input.imageKey ?? null,
          workflowId: mealWorkflowId(mealId),
        }),
      start: () =>
        deps.temporal.workflow.start('mealAnalysis', {
          workflowId: mealWorkflowId(mealId),
          taskQueue: QUEUES.default,
          args: [
            {
              mealId,
              userId: input.userId,
              requestId: input.requestId,
              inputTimeout: deps.inputTimeout,
            } satisfies MealAnalysisInput,
          ],
          typedSearchAttributes: [
            { key: UserIdKey, value: input.userId },
            { key: StatusKey, value: 'queued' },
          ],
        }),
      undo: () => meals.delete(mealId),
    });
    return { mealId: r.resourceId, workflowId: mealWorkflowId(r.resourceId), replayed: r.replayed };
  }

  /** The meal's written outcome, read again (the row a caller holds may predate it). */
  async function recorded(mealId: string): Promise<LiveStatus | undefined> {
    const fresh = await meals.get(mealId);
    if (!fresh?.outcome) return undefined;
    return {
      status: fresh.outcome as MealStatus,
      steps: (fresh.steps as StepProgress[] | null) ?? [],
      warnings: [],
      ...(fresh.outcome === 'failed' && fresh.outcomeReason ? { error: fresh.outcomeReason } : {}),
    };
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
        const pending = (desc.raw.pendingActivities ?? []).map((p) => ({
          activityType: p.activityType?.name ?? undefined,
          attempt: p.attempt ?? 1,
          lastFailure: p.lastFailure ? { message: p.lastFailure.message ?? undefined } : undefined,
        }));
        const steps = mergeAttempts(progress?.steps ?? [], MEAL_ANALYSIS_STEPS, new Map(), pending);
        const live: LiveStatus = {
          status: progress?.status ?? 'queued',
          steps,
          warnings: progress?.warnings ?? [],
          ...(progress?.question ? { question: progress.question } : {}),
        };
        // A run that reports an outcome has written it (close comes first): show the written one.
        return TERMINAL.has(live.status) ? ((await recorded(meal.id)) ?? live) : live;
      }
      // The run ended after the row was read: its close step wrote the outcome in between.
      // Otherwise it closed without writing one (terminated by an operator, or timed out).
      return (
        (await recorded(meal.id)) ?? {
          status: desc.status.name === 'CANCELLED' ? 'cancelled' : 'failed',
          steps: [],
          warnings: [],
        }
      );
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
    if (meal.outcome)
      throw new AppError(
        'conflict',
        'meal_not_waiting',
        `This meal is ${meal.outcome}; it is not waiting for a description`,
      );
    try {
      await deps.temporal.workflow
        .getHandle(meal.workflowId)
        .executeUpdate(describeMealUpdate, { args: [description] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
        throw new AppError('conflict', 'meal_not_waiting', 'This meal is not waiting for a description');
      }
      throw err;
    }
  }

  return { start, status, describe, meals };
}

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export interface LiveStatus {
  status: MealStatus;
  steps: StepProgress[];
  warnings: string[];
  /** What the meal is asking, while it waits in needs_input. */
  question?: string;
  /** The failure reason, when it was read after the row passed in (see status). */
  error?: string;
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
    error: live.error ?? (meal.outcome === 'failed' ? meal.outcomeReason : undefined),
  };
}
