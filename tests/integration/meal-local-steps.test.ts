import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MealProgress } from '../../src/contracts/meal-analysis';
import { createMealRepository } from '../../src/db/repositories/meals';
import { type Harness, eventually, startHarness } from '../support/harness';
import { mealTestWorkers } from '../support/meal-test-worker';

/**
 * The local-activity paths of mealAnalysis on the real dev server and database: a retried local step, a
 * local step that times out, an optional local step that fails for good, a required one that fails, and a
 * worker that dies in the middle of the workflow task. Each test runs its own worker (the real workflow
 * bundle and activities, with one activity replaced) on its own task queue (tests/support/meal-test-worker.ts).
 */
let h: Harness;
const { realActivities, withWorker, startMeal } = mealTestWorkers(() => h);
beforeAll(async () => {
  h = await startHarness({ workers: false });
});
afterAll(async () => {
  await h?.stop();
});

const analyses = async (mealId: string) =>
  (
    (await h.database.db.execute(
      sql`select count(*)::int as n from app.meal_analyses where meal_id = ${mealId}`,
    )) as unknown as { n: number }[]
  )[0]!.n;
const closedSteps = async (mealId: string) =>
  (await createMealRepository(h.database.db).get(mealId))!.steps as MealProgress['steps'];

describe('mealAnalysis local steps', () => {
  it('retries a local step inside the workflow task until it succeeds (record fails twice)', async () => {
    const q = `local-${randomUUID()}`;
    const real = realActivities();
    let calls = 0;
    const { mealId } = await withWorker(
      q,
      {
        async recordMealAnalysis(input) {
          calls++;
          if (Context.current().info.attempt < 3) throw new Error('database hiccup');
          return real.recordMealAnalysis(input);
        },
      },
      async () => {
        const started = await startMeal(q);
        await started.handle.result();
        return started;
      },
    );
    expect(calls).toBe(3);
    const steps = await closedSteps(mealId); // as the run wrote them
    // The attempts a local step took: its third try succeeded (a void step's report once got lost: attempts 1).
    expect(steps.find((s) => s.name === 'record')).toMatchObject({ status: 'completed', attempts: 3 });
    expect(await analyses(mealId)).toBe(1);
  }, 60_000);

  it('an optional local step that keeps failing becomes a warning after its 4 attempts (feedback)', async () => {
    const q = `local-${randomUUID()}`;
    const { mealId, result } = await withWorker(
      q,
      {
        async mealFeedback() {
          throw new Error('profile store unavailable');
        },
      },
      async () => {
        const started = await startMeal(q);
        return { mealId: started.mealId, result: await started.handle.result() };
      },
    );
    expect(result.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^feedback did not complete/)]));
    const steps = await closedSteps(mealId);
    expect(steps.find((s) => s.name === 'feedback')).toMatchObject({ status: 'failed', attempts: 4, required: false });
    expect(steps.find((s) => s.name === 'close')).toMatchObject({ status: 'completed' });
    expect(await analyses(mealId)).toBe(1);
  }, 90_000);

  it('a required local step that fails for good fails the meal with its reason (record: MealNotFound)', async () => {
    const q = `local-${randomUUID()}`;
    const { mealId, error } = await withWorker(
      q,
      {
        async recordMealAnalysis() {
          throw ApplicationFailure.nonRetryable('meal is gone', 'MealNotFound');
        },
      },
      async () => {
        const started = await startMeal(q);
        return { mealId: started.mealId, error: await started.handle.result().catch((e: unknown) => e) };
      },
    );
    expect(String((error as { cause?: Error }).cause?.message ?? error)).toMatch(/MealNotFound/);
    const meal = await createMealRepository(h.database.db).get(mealId);
    expect(meal?.outcome).toBe('failed');
    expect(meal?.outcomeReason).toMatch(/MealNotFound/);
    expect((meal!.steps as MealProgress['steps']).find((s) => s.name === 'record')).toMatchObject({
      status: 'failed',
      attempts: 1,
    });
    expect(await analyses(mealId)).toBe(0);
  }, 60_000);

  it('a local step that outlives its 15 s start-to-close timeout is retried (load hangs once)', async () => {
    const q = `local-${randomUUID()}`;
    const real = realActivities();
    const { mealId } = await withWorker(
      q,
      {
        async loadMeal(input) {
          if (Context.current().info.attempt === 1) await Context.current().sleep(60_000); // cancelled at 15 s
          return real.loadMeal(input);
        },
      },
      async () => {
        const started = await startMeal(q);
        await started.handle.result();
        return started;
      },
    );
    expect((await closedSteps(mealId)).find((s) => s.name === 'load')).toMatchObject({
      status: 'completed',
      attempts: 2,
    });
  }, 90_000);

  it('a worker killed in the middle of the workflow task: the next worker runs the local steps again, with one effect', async () => {
    const q = `local-${randomUUID()}`;
    // node --import tsx (not the tsx CLI, which runs the script in a child process): SIGKILL must hit the worker.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../support/meal-crash-worker.ts')],
      {
        env: {
          ...process.env,
          WELLFLOW_DATA_DIR: h.config.dataDir,
          DATABASE_URL: h.config.DATABASE_URL!,
          TEMPORAL_ADDRESS: h.config.temporalAddress,
          TEMPORAL_NAMESPACE: h.config.TEMPORAL_NAMESPACE,
          WELLFLOW_ENCRYPTION_KEY: h.config.WELLFLOW_ENCRYPTION_KEY!,
          JWT_SECRET: h.config.JWT_SECRET!,
          BUNDLE_PATH: inject('bundlePath'),
          TASK_QUEUE: q,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      process.stdout.write(`[crash worker] ${b.toString()}`);
    });
    const exited = new Promise((r) => child.once('exit', r));
    const started = await startMeal(q);
    await eventually(async () => out.includes('record started'), 240_000, 100); // tsx startup on a loaded machine
    child.kill('SIGKILL'); // a crash: nothing of this workflow task reaches the server
    await exited;
    expect((await createMealRepository(h.database.db).get(started.mealId))?.outcome).toBeNull();

    const real = realActivities();
    let loads = 0;
    await withWorker(
      q,
      {
        async loadMeal(input) {
          loads++;
          return real.loadMeal(input);
        },
      },
      () => started.handle.result(), // after the dead worker's workflow task times out (10 s)
    );
    expect(loads).toBe(1); // load ran again here: its first run's marker was never recorded
    expect((await createMealRepository(h.database.db).get(started.mealId))?.outcome).toBe('completed');
    expect(await analyses(started.mealId)).toBe(1);
    const events = await h.database.db.execute(
      sql`select id from app.event_outbox where id = ${`meal.analyzed:${started.mealId}`}`,
    );
    expect(events).toHaveLength(1); // queued by the close, once
  }, 400_000);
});
