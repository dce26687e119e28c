import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time';
import { WELLFLOW_STREAM } from '../../src/adapters/events/publisher';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { connectTemporal, ensureSearchAttributes } from '../../src/temporal/connection';
import { type Harness, eventually, startHarness } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * Durable events (issue 12 item 19): meals are posted while this test's OWN nats-server (JetStream, file
 * storage, a free port; the shared one at 4222 is never touched) is stopped for 30 s; after it restarts, every
 * meal's `meal.analyzed` event is in the WELLFLOW stream exactly once. The stack runs in its own Temporal
 * namespace and database, so no other test file's workers or outbox relays can take its work or its events.
 */
const OUTAGE_MS = 30_000;
let h: Harness;
let nats: ChildProcess | undefined;
let natsPort: number;
const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-nats-'));
const dbName = `wellflow_outbox_${process.pid}_${Date.now()}`;
let admin: postgres.Sql;

async function startNats(): Promise<void> {
  nats = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  await eventually(async () => {
    const nc = await connect({ servers: `127.0.0.1:${natsPort}`, timeout: 1_000 });
    await nc.close();
    return true;
  }, 20_000);
}

async function stopNats(): Promise<void> {
  const p = nats;
  nats = undefined;
  if (!p || p.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

/** Every message in the stream, as event ids (read with a direct get per sequence: no consumer state). */
async function streamIds(): Promise<string[]> {
  const nc = await connect({ servers: `127.0.0.1:${natsPort}`, timeout: 5_000 });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(WELLFLOW_STREAM.name);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(WELLFLOW_STREAM.name, { seq }).catch(() => null);
      if (m) ids.push((m.json() as { id: string }).id);
    }
    return ids;
  } finally {
    await nc.close();
  }
}

beforeAll(async () => {
  natsPort = await freePort();
  await startNats();
  const url = new URL(inject('databaseUrl'));
  admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  url.pathname = `/${dbName}`;
  await runMigrations(url.toString());
  const namespace = `outbox-${randomUUID().slice(0, 8)}`;
  const connection = await connectTemporal(inject('temporalAddress'), createLogger('silent'));
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  await eventually(
    () => ensureSearchAttributes(connection, namespace, createLogger('silent')).then(() => true),
    30_000,
  );
  await connection.close();
  h = await startHarness({
    env: { DATABASE_URL: url.toString(), TEMPORAL_NAMESPACE: namespace, NATS_URL: `nats://127.0.0.1:${natsPort}` },
  });
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await stopNats();
  await admin?.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin?.end();
  fs.rmSync(storeDir, { recursive: true, force: true });
});

const postMeals = async (token: string, n: number): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await h.call('POST', '/v1/meals', { token, body: { description: `${i + 1} eggs and toast` } });
    expect(res.status).toBe(202);
    ids.push(res.json.mealId as string);
  }
  return ids;
};
const completed = (token: string, ids: string[]) =>
  eventually(
    async () => {
      const statuses = await Promise.all(
        ids.map(async (id) => (await h.call('GET', `/v1/meals/${id}`, { token })).json.status),
      );
      return statuses.every((s) => s === 'completed');
    },
    120_000,
    500,
  );

describe('durable domain events: outbox → JetStream', () => {
  it('a 30 s NATS outage with meals in flight: every meal completes, and every event is in the stream exactly once', async () => {
    const token = await h.token(h.newUser());
    const before = await postMeals(token, 3);
    await completed(token, before);
    await eventually(async () => (await streamIds()).length >= 3, 30_000);

    await stopNats();
    const during = await postMeals(token, 6);
    await completed(token, during); // the meals never wait for NATS
    const pending = await h.database.sql`select count(*)::int as n from app.event_outbox where published_at is null`;
    expect(pending[0]!.n).toBeGreaterThanOrEqual(6);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const after = postMeals(token, 3); // posted while NATS comes back
    await startNats();
    const late = await after;
    await completed(token, late);

    const expected = [...before, ...during, ...late].map((id) => `meal.analyzed:${id}`).sort();
    const ids = await eventually(
      async () => {
        const got = await streamIds();
        return expected.every((id) => got.includes(id)) ? got : undefined;
      },
      90_000,
      1_000,
    );
    expect(ids.filter((id) => id.startsWith('meal.analyzed:')).sort()).toEqual(expected);
    const left = await h.database.sql`select count(*)::int as n from app.event_outbox where published_at is null`;
    expect(left[0]!.n).toBe(0);
  }, 300_000);
});
