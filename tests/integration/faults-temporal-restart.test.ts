import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';
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
 * Issue 12, "Done means": Temporal killed with `kill -9` mid-run and restarted. A dev server of this file's own,
 * persisted in a SQLite file (as `wellflow dev` runs it), is killed while meals are in flight and started again on
 * the same port and file. The worker is `wellflow worker` in its own process, the API the app in this process;
 * neither is restarted. While Temporal is down a new meal answers 503 `temporal_unavailable` and is not stored,
 * and the reason the start failed is logged without the meal's text (item 9); afterwards every accepted meal
 * completes exactly once.
 */
const OUTAGE_MS = 10_000;
const MARKER = `MRKstart${randomBytes(5).toString('hex')}`;
const logger = createLogger('warn');
const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-fault-temporal-'));
let serverOpts: Parameters<typeof startDevServer>[0];
let server: DevServer | undefined;
let env: ReturnType<typeof faultEnv>;
let h: Harness;
let worker: WellflowProcess | undefined;

beforeAll(async () => {
  serverOpts = {
    cliPath: inject('temporalCli'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    dbFile: path.join(dbDir, 'temporal.db'),
    logger,
  };
  server = await startDevServer(serverOpts);
  env = faultEnv({ TEMPORAL_ADDRESS: server.address });
  h = await startHarness({ workers: false, env });
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  await worker?.stop();
  await h?.stop();
  await server?.stop();
  fs.rmSync(dbDir, { recursive: true, force: true });
  if (env) fs.rmSync(env.WELLFLOW_DATA_DIR, { recursive: true, force: true });
});

describe('fault: Temporal kill -9 and restart with meals in flight', () => {
  it('completes every accepted meal exactly once; starts during the outage answer 503 and store nothing', async () => {
    const who = await newPerson(h);
    await postPhotoMeal(h, who);
    await postTextMeals(h, who, 30);
    await eventually(async () => (await closedCount(h.database, who.mealIds)) >= 3, 120_000, 50);
    // Accepted just before the kill: in flight however fast the first 31 went (all had closed once, on a fast run).
    await postTextMeals(h, who, 3);

    await server!.kill();
    const killed = Date.now();
    // Meals in flight when Temporal died (otherwise the test would prove nothing).
    expect(await closedCount(h.database, who.mealIds)).toBeLessThan(who.mealIds.length);

    let refused = 0;
    while (Date.now() - killed < OUTAGE_MS) {
      const res = await h.call('POST', '/v1/meals', {
        token: who.token,
        body: { description: `2 eggs and ${MARKER}`, mealType: 'breakfast' },
      });
      expectUnavailable(res, 'temporal_unavailable');
      expect(res.json.error.message).toMatch(/nothing was stored/);
      refused++;
    }
    expect(refused).toBeGreaterThan(0);

    // Item 9: why the start failed is logged (class and redacted message), with ids, never the meal's text.
    const startFailures = h.logLines.filter(
      (l) => l.msg === 'workflow start failed; the stored resource is removed again',
    );
    expect(startFailures.length).toBe(refused);
    for (const line of startFailures) {
      expect(line).toMatchObject({ resourceType: 'meal', resourceId: expect.any(String) });
      expect(line.err).toMatchObject({ type: expect.any(String), message: expect.stringMatching(/\S/) });
    }
    expect(h.logLines.filter((l) => JSON.stringify(l).includes(MARKER))).toEqual([]);

    // The same port and SQLite file: the server comes back with every history it had written.
    server = await startDevServer(serverOpts);

    await waitAllClosed(h, who, worker);
    await expectEachCompletedOnce(h.database, h.temporal, who);
    expect(worker!.lines.filter((l) => JSON.stringify(l).includes(MARKER))).toEqual([]);
  }, 480_000);
});
