import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountErasureWorkflowId } from '../../src/contracts/account-erasure';
import { completedReceipt, receiptOf, remaining } from '../support/erasure-people';
import { faultEnv, startWorkerProcess, type WellflowProcess } from '../support/fault-processes';
import { eventually, type Harness, startHarness } from '../support/harness';
import { seedAnalysedMeals } from '../support/seed-meals';

/**
 * Issue 16, "Survives crashes at any point": the worker (the real `wellflow worker` in its own process) is
 * killed with -9 while the erasure is deleting a large account's meals page by page; a new worker finishes the
 * run, the receipt counts every meal exactly once, and a second trigger starts nothing.
 */
const env = faultEnv();
let h: Harness;
const workers: WellflowProcess[] = [];
const MEALS = 4_000;

beforeAll(async () => {
  h = await startHarness({ workers: false, env });
});
afterAll(async () => {
  for (const w of workers) await w.kill9();
  await h?.stop();
  fs.rmSync(env.WELLFLOW_DATA_DIR, { recursive: true, force: true });
});

const mealsCounted = async (userId: string) =>
  Number(
    (await h.database.sql`select counts->>'meals' as n from app.account_erasures where user_id = ${userId}`)[0]?.n ?? 0,
  );

describe('fault: worker kill -9 mid-erasure', () => {
  it('the run finishes after a restart with exact counts, and a second trigger is a no-op', async () => {
    const user = h.newUser();
    const start = Date.parse('2026-01-01T12:00:00Z');
    await seedAnalysedMeals(
      h.database,
      Array.from({ length: MEALS }, (_, i) => ({
        userId: user,
        eatenAt: new Date(start + i * 3_600_000).toISOString(),
        kcal: 500,
      })),
    );
    const first = await startWorkerProcess(env);
    workers.push(first);
    const admin = await h.token('admin-crash', 'admin');
    const res = await h.call('POST', `/v1/admin/users/${user}/erase`, { token: admin });
    expect(res.status, res.text).toBe(202);

    // Kill once some pages are deleted and counted, while more remain.
    const atKill = await eventually(
      async () => {
        const n = await mealsCounted(user);
        return n > 0 ? n : undefined;
      },
      120_000,
      20,
    );
    await first.kill9();
    expect(atKill).toBeLessThan(MEALS);
    expect((await receiptOf(h, user)).json.status).toBe('erasing');

    const second = await startWorkerProcess(env);
    workers.push(second);
    // The killed attempt is noticed by its 30 s heartbeat timeout, then retried on the new worker.
    const receipt = await completedReceipt(h, user, 240_000);
    expect(receipt.counts.meals).toBe(MEALS);
    expect(receipt.counts.mealAnalyses).toBe(MEALS);
    expect((await remaining(h, user)).meals).toBe(0);

    const run = await h.temporal.workflow.getHandle(accountErasureWorkflowId(user)).describe();
    const again = await h.call('POST', `/v1/admin/users/${user}/erase`, { token: admin });
    expect(again.json).toMatchObject({ status: 'completed', alreadyRequested: true });
    expect((await h.temporal.workflow.getHandle(accountErasureWorkflowId(user)).describe()).runId).toBe(run.runId);
    expect((await receiptOf(h, user)).json).toEqual(receipt);
  }, 420_000);
});
