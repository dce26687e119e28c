import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createImageStore } from '../../src/adapters/images/store';
import { createApp } from '../../src/api/app';
import { signToken } from '../../src/api/auth';
import { toAppError } from '../../src/api/errors';
import { loadConfig } from '../../src/config';
import { createDatabase, unboundedStatement } from '../../src/db/client';
import { createMaintenanceRepository } from '../../src/db/repositories/maintenance';
import { createLogger } from '../../src/logger';
import { HealthChecker } from '../../src/observability/health-checks';
import { loadSecrets } from '../../src/secrets';
import { AesGcmCodec } from '../../src/temporal/codec';
import { createClient } from '../../src/temporal/connection';
import { SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { startDevServer } from '../../src/temporal/dev-server';
import { devSignIn } from '../support/console-session';
import { expectUnavailable } from '../support/envelope';
import { type Harness, startHarness } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * Items 7 and 8 of issue 12: with PostgreSQL or Temporal down, a request answers 503 with `Retry-After` and a
 * code naming what is unavailable, within a few seconds: never a 500, never a 30 s hang. The bound asserted is
 * 15 s: well above the 3 s connect timeout and the 5 s Temporal call deadline (a loaded 2-core CI machine once
 * took 9.5 s), and below the 20-30 s seen before. It proves a bounded wait, not a speed.
 */
const BOUND_MS = 15_000;

/** A TCP server that accepts connections and never answers a byte: a hung server, a black-holed network. */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

describe('PostgreSQL unavailable → 503 database_unavailable with Retry-After, within the bound', () => {
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let hung: Harness;
  let refused: Harness;

  beforeAll(async () => {
    hole = await blackHole();
    hung = await startHarness({
      workers: false,
      env: { DATABASE_URL: `postgres://wellflow:secret@127.0.0.1:${hole.port}/wellflow` },
    });
    refused = await startHarness({
      workers: false,
      env: { DATABASE_URL: `postgres://wellflow:secret@127.0.0.1:${await freePort()}/wellflow` },
    });
  });
  afterAll(async () => {
    await hung?.stop();
    await refused?.stop();
    await hole?.close();
  });

  it('a server that accepts and never answers: the connect timeout ends the wait', async () => {
    const token = await hung.token(hung.newUser());
    const { value: res, ms } = await timed(() => hung.call('GET', '/v1/meals', { token }));
    expectUnavailable(res, 'database_unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
    expect(res.json.error.details).toEqual({ dependency: 'database' });
    // An outage is logged as a warning with the class and code, never as an unhandled error.
    expect(hung.logLines.some((l) => l.msg === 'unhandled error')).toBe(false);
  });

  it('as many concurrent requests as the pool has connections are all answered within the bound', async () => {
    // Beyond the pool's size, postgres.js queues without limit and a queued request waits one more connect
    // timeout per round (40 requests on 10 connections: 4 rounds, 12 s); see the report on the pool queue.
    const token = await hung.token(hung.newUser());
    const { value: all, ms } = await timed(() =>
      Promise.all(Array.from({ length: 10 }, () => hung.call('GET', '/v1/meals', { token }))),
    );
    for (const res of all) expectUnavailable(res, 'database_unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a closed port (connection refused) answers 503 at once, for reads and writes', async () => {
    const token = await refused.token(refused.newUser());
    const { value: read, ms } = await timed(() => refused.call('GET', '/v1/meals', { token }));
    expectUnavailable(read, 'database_unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
    const write = await refused.call('POST', '/v1/journal-entries', { token, body: { text: 'a quiet day' } });
    expectUnavailable(write, 'database_unavailable');
  });
});

describe('PostgreSQL that answers but cannot serve the statement → 503, on the real server', () => {
  const logger = createLogger('silent');
  const mapped = (err: unknown) => toAppError(err, logger, 'test');

  it('a statement past statement_timeout (57014) is a 503; VACUUM runs without the timeout', async () => {
    const database = createDatabase(inject('databaseUrl'), { statementTimeoutMs: 200 });
    try {
      const err = await database.sql`select pg_sleep(1)`.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code).toBe('57014');
      expect(mapped(err)).toMatchObject({ status: 503, code: 'database_unavailable' });
      // Through drizzle too (it wraps the error; the mapping follows the cause).
      const viaDrizzle = await database.db.execute(sql`select pg_sleep(1)`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(mapped(viaDrizzle)).toMatchObject({ status: 503, code: 'database_unavailable' });
      // Maintenance's VACUUM gets its own connection without the limit (and gives it back with it).
      await unboundedStatement(database, (s) => s`select pg_sleep(0.4)`);
      await createMaintenanceRepository(database).vacuum('meals');
      const [row] = await database.sql<{ t: string }[]>`show statement_timeout`;
      expect(row!.t ?? Object.values(row!)[0]).toBe('200ms');
    } finally {
      await database.close();
    }
  });

  it('a connection terminated by the server (pg_terminate_backend: 57P01 admin shutdown) is a 503', async () => {
    const database = createDatabase(inject('databaseUrl'), { max: 1 });
    const admin = createDatabase(inject('databaseUrl'), { max: 1 });
    try {
      const [row] = await database.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const pid = row!.pid;
      const pending = database.sql`select pg_sleep(5)`.then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin.sql`select pg_terminate_backend(${pid})`;
      const err = await pending;
      // postgres.js reports the server's FATAL 57P01, or the closed socket it leaves, depending on timing.
      expect(['57P01', 'CONNECTION_CLOSED']).toContain((err as { code?: string }).code);
      expect(mapped(err)).toMatchObject({ status: 503, code: 'database_unavailable' });
    } finally {
      await database.close();
      await admin.close();
    }
  });
});

/**
 * The app as `wellflow api` wires it, on the run's real database, with a Temporal client whose server is not
 * there. The shared harness cannot be used: it connects to Temporal (and checks it answers) before it starts.
 * `Connection.lazy` connects on the first call, as a running API does again after its server went away.
 */
async function appWithTemporal(connection: Connection) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-outage-'));
  const config = loadConfig({
    WELLFLOW_DATA_DIR: dataDir,
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: '127.0.0.1:1', // not dialled: the client below brings its own connection
    JWT_SECRET: randomBytes(32).toString('hex'),
    WELLFLOW_ENCRYPTION_KEY: `test1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_IP_PER_MIN: '100000',
    RATE_LIMIT_USER_PER_MIN: '100000',
  });
  const logger = createLogger('warn');
  const secrets = loadSecrets(config);
  const codec = new AesGcmCodec(secrets.encryptionKeys);
  const database = createDatabase(config.DATABASE_URL!);
  const temporal = createClient(connection, config.TEMPORAL_NAMESPACE, { payloadCodecs: [codec] });
  const app = createApp({
    ...{ config, logger, database, temporal, secrets, codec, screenerVersion: SCREENER_VERSION },
    images: createImageStore(config.dataDir),
    health: new HealthChecker({ config, database, temporal }),
  });
  const token = (sub: string) => signToken(secrets.jwtSecret, { sub, role: 'user' }, 3600);
  const call = async (method: string, url: string, sub: string, body?: unknown, idempotencyKey?: string) => {
    const res = await app.request(url, {
      method,
      headers: {
        Authorization: `Bearer ${await token(sub)}`,
        'Content-Type': 'application/json',
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  };
  const journalRows = async (userId: string) =>
    Number((await database.sql`select count(*)::int as n from app.journal_entries where user_id = ${userId}`)[0]!.n);
  const keyRows = async (userId: string) =>
    Number((await database.sql`select count(*)::int as n from app.idempotency_keys where user_id = ${userId}`)[0]!.n);
  return {
    app,
    call,
    journalRows,
    keyRows,
    async close() {
      await database.close();
      await connection.close().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GET /v1/workflows and POST /v1/journal-entries against a Temporal that does not answer. */
async function expectTemporalOutageAnswered(t: Awaited<ReturnType<typeof appWithTemporal>>) {
  const userId = `u-${randomUUID().slice(0, 8)}`;

  const list = await timed(() => t.call('GET', '/v1/workflows', userId));
  expectUnavailable(list.value, 'temporal_unavailable');
  expect(list.value.json.error.details).toEqual({ dependency: 'temporal' });
  expect(list.ms, 'GET /v1/workflows').toBeLessThan(BOUND_MS);

  const start = await timed(() => t.call('POST', '/v1/journal-entries', userId, { text: 'a quiet day' }));
  expectUnavailable(start.value, 'temporal_unavailable');
  expect(start.value.json.error.message).toMatch(/nothing was stored/);
  expect(start.ms, 'POST /v1/journal-entries').toBeLessThan(BOUND_MS);
  // The idempotent start removed the entry (and its key) again: a retry starts from a clean slate.
  expect(await t.journalRows(userId)).toBe(0);

  const keyed = await t.call('POST', '/v1/journal-entries', userId, { text: 'another quiet day' }, 'outage-1');
  expectUnavailable(keyed, 'temporal_unavailable');
  expect(await t.journalRows(userId)).toBe(0);
  expect(await t.keyRows(userId)).toBe(0);

  // The console's Screening page: what PostgreSQL knows (version, backlog), the run's state marked unavailable
  // (and polled until Temporal answers), no form; as fast.
  const { cookie } = await devSignIn(t, 'nurse-1', 'staff');
  const page = await timed(async () => t.app.request('/console/screening', { headers: { Cookie: cookie } }));
  const html = await page.value.text();
  expect(page.value.status).toBe(200);
  expect(html).toMatch(/id="screener-version"[\s\S]*id="backlog"[\s\S]*data-running="true"/);
  expect(html).toContain('(Temporal) is not answering');
  expect(html).not.toContain('action="/console/screening/rescreens"');
  expect(page.ms, 'GET /console/screening').toBeLessThan(BOUND_MS);
}

describe('Temporal unavailable → 503 temporal_unavailable with Retry-After, within the bound', () => {
  it('a frontend that accepts and never answers (black hole)', async () => {
    const hole = await blackHole();
    const t = await appWithTemporal(await Connection.lazy({ address: `127.0.0.1:${hole.port}` }));
    try {
      await expectTemporalOutageAnswered(t);
    } finally {
      await t.close();
      await hole.close();
    }
  });

  it('a closed port (connection refused: the SDK would retry UNAVAILABLE for ~20 s)', async () => {
    const t = await appWithTemporal(await Connection.lazy({ address: `127.0.0.1:${await freePort()}` }));
    try {
      await expectTemporalOutageAnswered(t);
    } finally {
      await t.close();
    }
  });

  it('a server that answered and then stopped', async () => {
    const server = await startDevServer({
      cliPath: inject('temporalCli'),
      port: await freePort(),
      uiPort: await freePort(),
      namespace: 'default',
      headless: true,
      logger: createLogger('warn'),
    });
    let stopped = false;
    const connection = await Connection.connect({ address: server.address, connectTimeout: 10_000 });
    const t = await appWithTemporal(connection);
    try {
      await connection.workflowService.getSystemInfo({}); // connected and answered
      await server.stop();
      stopped = true;
      await expectTemporalOutageAnswered(t);
    } finally {
      await t.close();
      if (!stopped) await server.stop();
    }
  }, 60_000);
});
