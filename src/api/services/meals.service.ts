import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ImageRejected, processUpload } from '../../adapters/images/validate';
import type { ImageStore } from '../../adapters/images/store';
import { describeMealUpdate, mealWorkflowId } from '../../contracts/meal-analysis';
import type { Database } from '../../db/client';
import { createMealRepository, type MealAnalysisRow, type MealRow } from '../../db/repositories/meals';
import type { MealType } from '../../domain/meals/vocabulary';
import type { Logger } from '../../logger';
import { startWorkflow, TEMPORAL_UPDATE_DEADLINE_MS, withTemporalDeadline } from '../../temporal/workflow-client';
import { mealAnalysis } from '../../workflows/meal-analysis';
import { AppError, notFound } from '../errors';
import { isUuid } from '../schemas/common';
import type { MealView } from '../schemas/meals';
import { createIdempotentStarter } from './idempotent-start';
import { createMealStatusReader, type LiveStatus } from './meal-status';
import { createMealCorrectionRepository } from '../../db/repositories/meal-corrections';
import { correctionView } from './meal-correction-view';

interface StartMealInput {
  userId: string;
  description?: string;
  /** Image store key of the already validated, stripped photo (see `storePhoto`). */
  imageKey?: string;
  eatenAt?: Date;
  mealType?: MealType;
  idempotencyKey?: string;
}

/**
 * The stored photo keeps enough detail for a person to look at it again (2048 px); the model gets its own,
 * smaller copy in the workflow's preprocess step.
 */
const STORED_IMAGE_EDGE = 2048;

/** Decodes, strips and stores a photo; returns its image store key. */
async function storePhoto(images: ImageStore, bytes: Buffer): Promise<string> {
  try {
    const processed = await processUpload(bytes, { maxEdge: STORED_IMAGE_EDGE });
    return await images.put(processed.bytes, processed.contentType);
  } catch (e) {
    if (!(e instanceof ImageRejected)) throw e;
    throw new AppError(e.code === 'too_large' ? 'payload_too_large' : 'validation', e.code, e.message, [
      { path: 'image', message: e.message },
    ]);
  }
}

/** A list's [from, to) range; `from` must come first. */
function rangeOf(fromIso: string | undefined, toIso: string | undefined) {
  const from = fromIso ? new Date(fromIso) : undefined;
  const to = toIso ? new Date(toIso) : undefined;
  if (from && to && from >= to)
    throw new AppError('validation', 'invalid_range', '`from` must be before `to`', [
      { path: 'from', message: 'must be before to' },
    ]);
  return { from, to };
}

/**
 * Meals: stored and started idempotently (`meal-<mealId>`, see idempotent-start.ts), read with their live
 * status, and answered while they wait in needs_input.
 */
export function createMealService(deps: {
  database: Database;
  temporal: Client;
  images: ImageStore;
  logger: Logger;
  idempotencyTtlHours: number;
  inputTimeout: string;
}) {
  const meals = createMealRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours, deps.logger);
  const status = createMealStatusReader(deps.temporal, meals);
  const corrections = createMealCorrectionRepository(deps.database.db);

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
      singleStatement: true,
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
        startWorkflow(deps.temporal, mealAnalysis, { mealId, userId: input.userId, inputTimeout: deps.inputTimeout }),
      undo: () => meals.delete(mealId),
    });
    return { mealId: r.resourceId, workflowId: mealWorkflowId(r.resourceId), replayed: r.replayed };
  }

  /** The caller's meal, or 404 (another person's meal reads as absent). */
  async function owned(mealId: string, userId: string) {
    const found = isUuid(mealId) ? await meals.getOwned(mealId, userId) : undefined;
    if (!found) throw notFound('meal', mealId);
    return found;
  }

  async function get(mealId: string, userId: string): Promise<MealView> {
    const { meal, analysis } = await owned(mealId, userId);
    const live = await status(meal);
    // The run closed between the read and the status (a text meal runs in ~20 ms): read what it wrote.
    if (!meal.outcome && live.status === 'completed' && !analysis) {
      const fresh = await owned(mealId, userId);
      return mealView(fresh.meal, fresh.analysis, live);
    }
    // The original analysis and the latest correction (who, when), once the meal has been corrected.
    return { ...mealView(meal, analysis, live), ...correctionView(await corrections.forMeal(mealId)) };
  }

  /** The caller's meals eaten in [from, to), newest first, a page at a time. */
  async function list(opts: { userId: string; from?: string; to?: string; cursor?: string; limit: number }) {
    const { from, to } = rangeOf(opts.from, opts.to);
    const rows = await meals.listOwned({
      userId: opts.userId,
      from,
      to,
      after: opts.cursor ? decodeCursor(opts.cursor) : undefined,
      limit: opts.limit,
    });
    const page = rows.slice(0, opts.limit);
    const items = await Promise.all(
      page.map(async (r) => mealView(r.meals, r.meal_analyses ?? undefined, await status(r.meals))),
    );
    const last = page[page.length - 1];
    const nextCursor = rows.length > opts.limit && last ? encodeCursor(last.meals) : null;
    return { items, nextCursor };
  }

  /**
   * Answers the caller's meal waiting in needs_input. The workflow's update validator is the single
   * authority on "waiting": a meal in any other state is a 409 and nothing is stored.
   */
  async function describe(mealId: string, userId: string, description: string): Promise<MealRow> {
    const { meal } = await owned(mealId, userId);
    if (meal.outcome)
      throw new AppError(
        'conflict',
        'meal_not_waiting',
        `This meal is ${meal.outcome}; it is not waiting for a description`,
      );
    try {
      await withTemporalDeadline(
        deps.temporal,
        () =>
          deps.temporal.workflow.getHandle(meal.workflowId).executeUpdate(describeMealUpdate, { args: [description] }),
        TEMPORAL_UPDATE_DEADLINE_MS,
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
        throw new AppError('conflict', 'meal_not_waiting', 'This meal is not waiting for a description');
      }
      throw err;
    }
    return meal;
  }

  return { storePhoto: (bytes: Buffer) => storePhoto(deps.images, bytes), start, get, list, describe };
}

export type MealService = ReturnType<typeof createMealService>;

function mealView(meal: MealRow, analysis: MealAnalysisRow | undefined, live: LiveStatus): MealView {
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
    feedback: (analysis?.feedback as unknown[] | undefined) ?? [],
    warnings: [...((analysis?.warnings as string[] | undefined) ?? []), ...live.warnings],
    error: live.error ?? (meal.outcome === 'failed' ? meal.outcomeReason : undefined),
    ...(analysis?.model ? { model: { name: analysis.model, version: analysis.modelVersion } } : {}),
    confirmedAt: meal.confirmedAt?.toISOString() ?? null,
  };
}

/** Page cursors: the last row's (eatenAt, id), opaque to clients. */
function encodeCursor(meal: MealRow): string {
  return Buffer.from(JSON.stringify([meal.eatenAt.toISOString(), meal.id])).toString('base64url');
}

function decodeCursor(cursor: string): { eatenAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const eatenAt = new Date(t);
    if (Number.isNaN(eatenAt.getTime()) || !isUuid(id)) throw new Error('bad');
    return { eatenAt, id };
  } catch {
    throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid');
  }
}
