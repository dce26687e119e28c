import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { eventually, type Harness, startHarness } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * A Temporal shaped like a bare cluster (compose's server, Temporal Cloud): no search attributes registered.
 * Before `wellflow migrate` the service must say it is not ready and why; after it, meals and run lists work.
 */
const run = promisify(execFile);
const MISSING = 'Temporal namespace default lacks the search attributes UserId, WellflowStatus: run `wellflow migrate`';

let server: DevServer;
let h: Harness;

beforeAll(async () => {
  server = await startDevServer({
    cliPath: inject('temporalCli'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    searchAttributes: false,
    logger: createLogger('warn'),
  });
  h = await startHarness({ env: { TEMPORAL_ADDRESS: server.address } });
});

afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

/** `wellflow migrate` as an operator's release job runs it: its own process, the deployment's environment. */
function migrate(env: Record<string, string> = {}) {
  return run(process.execPath, ['bin/wellflow.js', 'migrate'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: server.address,
      WELLFLOW_ENCRYPTION_KEY: h.config.WELLFLOW_ENCRYPTION_KEY,
      JWT_SECRET: h.config.JWT_SECRET,
      WELLFLOW_DATA_DIR: h.config.dataDir,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
}

describe('search attributes on a Temporal that does not have them', () => {
  it('is not ready, says why, and `wellflow migrate` registers them so meals and run lists work', async () => {
    const notReady = await h.call('GET', '/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.json.ready).toBe(false);
    expect(notReady.json.reason).toBe(MISSING);
    expect(notReady.json.checks.temporal).toMatchObject({ status: 'UNHEALTHY', detail: MISSING });
    expect(notReady.json.checks.database.status).toBe('HEALTHY');

    const detailed = await h.callOps('GET', '/health/detailed');
    expect(detailed.status).toBe(503);
    expect(detailed.json.status).toBe('UNHEALTHY');
    expect(detailed.json.checks.temporal).toMatchObject({ status: 'UNHEALTHY', detail: MISSING });
    expect((await h.callOps('GET', '/health/temporal')).status).toBe(503);

    const first = await migrate();
    expect(first.stdout).toContain('migrations applied');
    expect(first.stdout).toContain(
      'search attributes in namespace default: created UserId, WellflowStatus; already present -',
    );
    // Idempotent: a second release's migrate finds them and changes nothing.
    const second = await migrate();
    expect(second.stdout).toContain(
      'search attributes in namespace default: created -; already present UserId, WellflowStatus',
    );

    // A negative answer is never cached: the next probe sees them.
    const ready = await h.call('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ ready: true, checks: { temporal: { status: 'HEALTHY' } } });
    expect(ready.json.reason).toBeUndefined();
    const healthy = await h.callOps('GET', '/health/detailed');
    expect(healthy.status).toBe(200);
    expect(healthy.json.checks.temporal.status).toBe('HEALTHY');

    const token = await h.token(h.newUser());
    const meal = await h.call('POST', '/v1/meals', {
      token,
      body: { description: '2 eggs and a banana' },
      headers: { 'Idempotency-Key': 'search-attributes-1' },
    });
    expect(meal.status).toBe(202);
    const listed = await eventually(async () => {
      const runs = await h.call('GET', '/v1/workflows', { token });
      expect(runs.status).toBe(200);
      return runs.json.items.some((r: { workflowId: string }) => r.workflowId === meal.json.workflowId) && runs;
    });
    expect(listed.status).toBe(200);
  });

  it('refuses an attribute of the wrong type with a clear error and changes nothing', async () => {
    const namespace = 'wrong-types';
    const connection = await Connection.connect({ address: server.address });
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(24 * 3600) },
      });
      // A new namespace takes a moment to reach the frontend's namespace cache.
      await eventually(async () => {
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: { UserId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
        });
        return true;
      });
      const failed = await migrate({ TEMPORAL_NAMESPACE: namespace }).then(
        () => undefined,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain(
        `Temporal namespace ${namespace} has search attributes of the wrong type: UserId is Text (Wellflow needs Keyword)`,
      );
      const after = await connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(after.customAttributes ?? {})).not.toContain('WellflowStatus');
    } finally {
      await connection.close();
    }
  });
});
