import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOpsApp } from '../../src/api/ops-app';
import { loadConfig } from '../../src/config';
import { createDatabase } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { HealthChecker } from '../../src/observability/health-checks';
import { connectTemporal, createClient } from '../../src/temporal/connection';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';
import { startWorkers, type WorkerSet } from '../../src/worker/workers';
import { expectEnvelope } from '../support/envelope';
import { freePort } from '../support/ports';

/**
 * The ops port of a worker process (src/api/ops-app.ts with the worker set's problem): /health answers 200 while
 * its workers run and Temporal answers their connection, and 503 with the reason when a worker has stopped or
 * Temporal is gone, which is what compose's healthcheck and an orchestrator's liveness probe act on. On a
 * Temporal dev server of its own, so stopping it disturbs no other test.
 */
const logger = createLogger('silent');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-ops-'));
let server: DevServer;
let workers: WorkerSet | undefined;
const cleanups: (() => Promise<void>)[] = [];

async function opsAppWithWorkers() {
  const config = loadConfig({
    WELLFLOW_DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: server.address,
    JWT_SECRET: randomBytes(32).toString('hex'),
  });
  const database = createDatabase(config.DATABASE_URL!);
  const connection = await connectTemporal(server.address, logger);
  cleanups.push(
    () => database.close(),
    () => connection.close(),
  );
  const health = new HealthChecker({ config, database, temporal: createClient(connection, 'default', {}) });
  workers = await startWorkers({
    address: server.address,
    namespace: 'default',
    queues: ['heavy'],
    bundlePath: inject('bundlePath'),
    // heavy runs activities only (no workflow bundle): a worker needs at least one to poll for.
    activities: { noop: async () => undefined },
    dataConverter: {},
    logger,
  });
  const current = workers;
  return createOpsApp({ health, logger, problem: () => current.problem() });
}

const get = async (app: ReturnType<typeof createOpsApp>, url: string) => {
  const res = await app.request(url);
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
};

beforeAll(async () => {
  server = await startDevServer({
    cliPath: inject('temporalCli'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    logger,
  });
}, 120_000);

afterAll(async () => {
  await workers?.shutdown().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe("a worker process's ops port", () => {
  it('answers 200 while the workers run, 503 naming the queue once one has stopped', async () => {
    const app = await opsAppWithWorkers();
    expect(await get(app, '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    // The rest of the ops routes are there too; an unknown path is the usual 404 envelope.
    expect((await get(app, '/health/detailed')).json.checks).toHaveProperty('workers');
    expectEnvelope(await get(app, '/nope'), 404, 'not_found');

    await workers!.shutdown();
    const stopped = await get(app, '/health');
    expect(stopped.status).toBe(503);
    expect(stopped.json).toEqual({ status: 'failing', detail: 'workers not running: heavy STOPPED' });
  });

  it('answers 503 when Temporal no longer answers the workers', async () => {
    const app = await opsAppWithWorkers();
    expect((await get(app, '/health')).status).toBe(200);
    await server.stop();
    const down = await get(app, '/health');
    expect(down.status).toBe(503);
    expect(down.json.status).toBe('failing');
    expect(down.json.detail).toMatch(/^(Temporal does not answer the workers' connection|workers not running): /);
  }, 60_000);
});
