import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { mealCorrectionWorkflowId } from '../../contracts/meal-correction';
import type { Database } from '../../db/client';
import { createMealCorrectionRepository } from '../../db/repositories/meal-corrections';
import { createMealRepository } from '../../db/repositories/meals';
import { type CorrectionItem, estimateCorrection } from '../../domain/nutrition/correction';
import { FoodIndex } from '../../domain/nutrition/food-table';
import type { Logger } from '../../logger';
import { startWorkflow } from '../../temporal/workflow-client';
import { mealCorrection } from '../../workflows/meal-correction';
import { AppError, notFound } from '../errors';
import { isUuid } from '../schemas/common';
import { createIdempotentStarter } from './idempotent-start';

/** A unique violation (SQLSTATE 23505), as postgres.js reports it, possibly wrapped by drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

const inProgress = () =>
  new AppError(
    'conflict',
    'correction_in_progress',
    'A correction of this meal is still being applied; send yours once it is done',
  );

const notCompleted = (outcome: string | null, verb: string) =>
  new AppError(
    'conflict',
    'meal_not_completed',
    `Only an analysed meal can be ${verb}; this one is ${outcome ?? 'still being analysed'}`,
  );

/**
 * Meal corrections: PATCH /v1/meals/{id}/items stores a pending revision and starts its `mealCorrection` run
 * (`meal-correction-<mealId>-<revision>`) in the idempotent way every start uses (idempotent-start.ts). Bad input
 * is refused before anything is stored: the pure estimate runs here first, so an unknown food, unit or
 * unrecognisable line is a 422 naming the item.
 */
export function createMealCorrectionService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  idempotencyTtlHours: number;
  foods?: FoodIndex;
}) {
  const foods = deps.foods ?? new FoodIndex();
  const meals = createMealRepository(deps.database.db);
  const corrections = createMealCorrectionRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours, deps.logger);

  async function correct(input: { mealId: string; userId: string; items: CorrectionItem[]; idempotencyKey?: string }) {
    const found = isUuid(input.mealId) ? await meals.getOwned(input.mealId, input.userId) : undefined;
    if (!found) throw notFound('meal', input.mealId);
    if (found.meal.outcome !== 'completed' || !found.analysis) throw notCompleted(found.meal.outcome, 'corrected');
    const checked = estimateCorrection(input.items, foods);
    if (!checked.ok)
      throw new AppError(
        'validation',
        checked.problems[0]!.code,
        'Some items cannot be used; nothing was changed',
        checked.problems.map((p) => ({ path: p.path, code: p.code, message: p.message })),
      );
    const correctionId = randomUUID();
    let revision = 0;
    let runId: string | null = null;
    try {
      const r = await startOnce({
        userId: input.userId,
        idempotencyKey: input.idempotencyKey,
        request: ['PATCH /v1/meals/{id}/items', input.mealId, input.items],
        resourceType: 'meal_correction',
        resourceId: correctionId,
        what: 'correction',
        insert: async (tx) => {
          revision = await createMealCorrectionRepository(tx).insertPending({
            id: correctionId,
            mealId: input.mealId,
            userId: input.userId,
            requestedItems: input.items,
            correctedBy: input.userId,
            workflowId: (rev) => mealCorrectionWorkflowId(input.mealId, rev),
          });
        },
        start: async () => {
          const started = await startWorkflow(deps.temporal, mealCorrection, {
            mealId: input.mealId,
            userId: input.userId,
            revision,
          });
          // A fresh start's handle knows its run id; an id that was already running (a retried start) does not.
          const handle = started.handle as { firstExecutionRunId?: string };
          runId = handle.firstExecutionRunId ?? null;
        },
        undo: () => corrections.deletePending(correctionId),
      });
      if (!r.replayed && runId) await corrections.setRunId(correctionId, runId);
      const row = r.replayed ? await corrections.getById(r.resourceId) : undefined;
      if (r.replayed && !row) throw notFound('meal_correction', r.resourceId);
      return {
        mealId: input.mealId,
        correctionId: r.resourceId,
        revision: row?.revision ?? revision,
        workflowId: row?.workflowId ?? mealCorrectionWorkflowId(input.mealId, revision),
        runId: row?.runId ?? runId,
        status: row?.status ?? 'pending',
        replayed: r.replayed,
      };
    } catch (err) {
      // The database allows one pending revision per meal: a concurrent correction of the same meal lost the race.
      if (isUniqueViolation(err)) throw inProgress();
      throw err;
    }
  }

  /**
   * POST /v1/meals/{id}/confirm: the person says the analysis is right, which makes a photo meal a labelled
   * example for model retraining. 404 not theirs; 409 not analysed yet or a correction is being applied.
   */
  async function confirm(input: { mealId: string; userId: string }) {
    const found = isUuid(input.mealId) ? await meals.getOwned(input.mealId, input.userId) : undefined;
    if (!found) throw notFound('meal', input.mealId);
    const confirmedAt = await corrections.confirm(input.mealId, input.userId);
    if (confirmedAt) return { mealId: input.mealId, confirmedAt: confirmedAt.toISOString() };
    if (found.meal.outcome !== 'completed') throw notCompleted(found.meal.outcome, 'confirmed');
    throw inProgress();
  }

  return { correct, confirm };
}

export type MealCorrectionService = ReturnType<typeof createMealCorrectionService>;
