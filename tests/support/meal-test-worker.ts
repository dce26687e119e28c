import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../src/activities';
import { SCREENER_NOT_LOADED } from '../../src/activities/worker-screener';
import { mealAnalysisContract } from '../../src/contracts/meal-analysis';
import { createMealRepository } from '../../src/db/repositories/meals';
import { createLogger } from '../../src/logger';
import { NO_TRACING } from '../../src/observability/tracing';
import { loadSecrets } from '../../src/secrets';
import { wellflowDataConverter } from '../../src/temporal/data-converter';
import { attemptReportInterceptor } from '../../src/temporal/interceptors/attempts';
import type { mealAnalysis } from '../../src/workflows/meal-analysis';
import type { Harness } from './harness';

/**
 * A mealAnalysis worker of its own for a test (the real workflow bundle and activities, any of them replaced)
 * on its own task queue: local activities run on the worker that runs the workflow task, so no other worker
 * can interfere. Used by the tests of the meal's local steps and of its close.
 */
export type MealTestActivities = ReturnType<typeof createActivities>;

export function mealTestWorkers(h: () => Harness) {
  const realActivities = (): MealTestActivities =>
    createActivities({
      config: h().config,
      database: h().database,
      logger: createLogger('silent'),
      images: h().images,
      temporal: h().temporal,
      secrets: loadSecrets(h().config),
      screener: SCREENER_NOT_LOADED, // meal queues only: no screening step runs here
    });

  async function withWorker<T>(
    taskQueue: string,
    overrides: Partial<MealTestActivities>,
    fn: (worker: Worker) => Promise<T>,
    shutdownGraceTime = '10s',
  ): Promise<T> {
    // One connection per worker, closed as soon as the worker stops (as src/worker/workers.ts does): a connection
    // left open after its worker stopped lets a retried local activity's stale start-to-close timer panic in
    // sdk-core (`receive half not dropped`, temporalio/sdk-rust#1454; bench/la-stale-timer.ts).
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({
      connection,
      namespace: h().config.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowBundle: { codePath: inject('bundlePath') },
      activities: { ...realActivities(), ...overrides },
      dataConverter: wellflowDataConverter(h().codec),
      interceptors: { activity: [attemptReportInterceptor] },
      sinks: NO_TRACING.sinks,
      shutdownGraceTime,
    });
    try {
      return await worker.runUntil(fn(worker));
    } finally {
      await connection.close();
    }
  }

  /** A stored text meal (as POST /v1/meals stores it), and its run started on `taskQueue`. */
  async function startMeal(taskQueue: string, description = '2 eggs and a slice of toast') {
    const mealId = randomUUID();
    const userId = h().newUser();
    const workflowId = `meal-local-${mealId}`;
    await createMealRepository(h().database.db).insert({
      id: mealId,
      userId,
      description,
      eatenAt: new Date(),
      mealType: 'breakfast',
      workflowId,
    });
    const handle = await h().temporal.workflow.start<typeof mealAnalysis>(mealAnalysisContract.workflowType, {
      taskQueue,
      workflowId,
      args: [{ mealId, userId }],
    });
    return { mealId, userId, handle };
  }

  return { realActivities, withWorker, startMeal };
}
