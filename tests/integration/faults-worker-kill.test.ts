import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedCount,
  expectEachCompletedOnce,
  newPerson,
  postPhotoMeal,
  postTextMeals,
  waitAllClosed,
} from '../support/fault-meals';
import { faultEnv, startWorkerProcess, type WellflowProcess } from '../support/fault-processes';
import { eventually, type Harness, startHarness } from '../support/harness';

/**
 * Issue 12, "Done means": a worker `kill -9` with meals in flight loses and duplicates nothing. The worker is the
 * real `wellflow worker` command in its own process (as a deployment runs it); the API is the app in this process
 * (no workers of its own), on the run's Temporal dev server and database. Meals are posted, the worker is killed
 * while some are closed and others are not, more meals are posted while no worker runs, then a new worker starts
 * and every meal must complete exactly once.
 */
const env = faultEnv();
let h: Harness;
const workers: WellflowProcess[] = [];

beforeAll(async () => {
  h = await startHarness({ workers: false, env });
});
afterAll(async () => {
  for (const w of workers) await w.kill9();
  await h?.stop();
  fs.rmSync(env.WELLFLOW_DATA_DIR, { recursive: true, force: true });
});

describe('fault: worker kill -9 with meals in flight', () => {
  it('every meal completes exactly once after the worker is killed and replaced', async () => {
    const first = await startWorkerProcess(env);
    workers.push(first);
    const who = await newPerson(h);
    await postPhotoMeal(h, who);
    await postTextMeals(h, who, 30);

    // Kill as soon as some meals are closed: the rest are queued, or mid-step in the worker that dies.
    await eventually(async () => (await closedCount(h.database, who.mealIds)) >= 3, 120_000, 50);
    await postTextMeals(h, who, 3); // accepted just before the kill: in flight however fast the first 31 went
    await first.kill9();
    const closedAtKill = await closedCount(h.database, who.mealIds);
    // The fault hit meals in flight (otherwise this test would prove nothing).
    expect(closedAtKill).toBeLessThan(who.mealIds.length);

    // Work keeps arriving while no worker runs: it waits in the task queue.
    await postTextMeals(h, who, 10);
    expect(await closedCount(h.database, who.mealIds)).toBe(closedAtKill);

    const second = await startWorkerProcess(env);
    workers.push(second);
    await waitAllClosed(h, who, second);
    await expectEachCompletedOnce(h.database, h.temporal, who);
    expect(second.lines.some((l) => l.msg === 'workers polling')).toBe(true);
  }, 420_000);
});
