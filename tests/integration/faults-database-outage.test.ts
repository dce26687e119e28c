import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterDirFor, type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/db/embedded';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { expectUnavailable } from '../support/envelope';
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
import { freePort } from '../support/ports';

/**
 * Issue 12, "Done means": a 30 s PostgreSQL outage with meals in flight. The machine's PostgreSQL is shared and
 * is never stopped: this file runs an embedded PostgreSQL of its own (real binaries, src/db/embedded.ts) on a free
 * port, stops it mid-run and starts it again on the same data folder and port. The worker is `wellflow worker` in
 * its own process; the API is the app in this process. During the outage every request answers 503
 * `database_unavailable` (never 500) and stores nothing; afterwards every accepted meal completes exactly once.
 */
const OUTAGE_MS = 30_000;
const logger = createLogger('warn');
const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-fault-pg-'));
let port: number;
let pg: EmbeddedDatabase | undefined;
let env: ReturnType<typeof faultEnv>;
let h: Harness;
let worker: WellflowProcess | undefined;

beforeAll(async () => {
  port = await freePort();
  pg = await startEmbeddedPostgres(pgDir, port, logger);
  await runMigrations(pg.url);
  env = faultEnv({ DATABASE_URL: pg.url });
  h = await startHarness({ workers: false, env });
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  await worker?.stop();
  await h?.stop();
  await pg?.stop();
  // As root the cluster lives outside the data folder (src/db/embedded.ts, clusterDirFor): remove both.
  const cluster = clusterDirFor(pgDir);
  fs.rmSync(cluster.startsWith(pgDir) ? pgDir : path.dirname(cluster), { recursive: true, force: true });
  fs.rmSync(pgDir, { recursive: true, force: true });
  if (env) fs.rmSync(env.WELLFLOW_DATA_DIR, { recursive: true, force: true });
});

describe('fault: a 30 s PostgreSQL outage with meals in flight', () => {
  it('answers 503 during the outage and completes every accepted meal exactly once after it', async () => {
    const who = await newPerson(h);
    await postPhotoMeal(h, who);
    await postTextMeals(h, who, 30);
    await eventually(async () => (await closedCount(h.database, who.mealIds)) >= 3, 120_000, 50);
    await postTextMeals(h, who, 3); // accepted just before the outage: in flight however fast the first 31 went

    const stopped = Date.now();
    await pg!.stop();
    pg = undefined;

    // Meals in flight when the database went away (otherwise the test would prove nothing).
    const openMeal = await eventually(async () => {
      // The API's own view cannot be read now: ask Temporal which runs are still open.
      for await (const wf of h.temporal.workflow.list({
        query: `UserId = "${who.userId}" AND ExecutionStatus = "Running"`,
      }))
        return wf.workflowId;
      return undefined;
    }, 10_000);
    expect(openMeal).toMatch(/^meal-/);

    // Requests during the outage: a clear 503 with Retry-After, nothing stored (checked after the outage).
    let answered = 0;
    while (Date.now() - stopped < OUTAGE_MS) {
      const post = await h.call('POST', '/v1/meals', { token: who.token, body: { description: 'an apple' } });
      expectUnavailable(post, 'database_unavailable');
      const read = await h.call('GET', `/v1/meals/${who.mealIds[0]}`, { token: who.token });
      expectUnavailable(read, 'database_unavailable');
      const list = await h.call('GET', '/v1/meals', { token: who.token });
      expectUnavailable(list, 'database_unavailable');
      answered += 3;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(answered).toBeGreaterThan(0);

    // The same data folder and port, as a restarted database server comes back.
    pg = await startEmbeddedPostgres(pgDir, port, logger);
    expect(pg.url).toBe(env.DATABASE_URL);

    await waitAllClosed(h, who, worker);
    await expectEachCompletedOnce(h.database, h.temporal, who);
    const after = await h.call('GET', '/v1/meals', { token: who.token });
    expect(after.status).toBe(200);
  }, 480_000);
});
