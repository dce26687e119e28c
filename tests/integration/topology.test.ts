import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Role, signToken } from '../../src/api/auth';
import { ALL_QUEUES } from '../../src/contracts/queues';
import { createLogger } from '../../src/logger';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { eventually } from '../support/harness';
import { freePort } from '../support/ports';
import {
  type Answer,
  type HostParts,
  runJob,
  serviceEnv,
  startService,
  viaBalancer,
  waitHealthy,
  type WellflowProcess,
} from '../support/topology';

/**
 * Issue 12, item 6: the production topology of docker-compose.yml, as processes (no Docker engine runs here).
 * A Temporal dev server shaped like a bare cluster (no search attributes registered, its own ports), a database
 * of its own on the machine's PostgreSQL, the machine's Redis and NATS; then compose's own commands and
 * environments (tests/support/topology.ts): `migrate`, `schedules-sync`, one worker per queue and two APIs. Meals,
 * a journal entry that opens a case and a schedule trigger go through it; then one API is rolled with SIGTERM
 * while a client keeps sending through both, behind a balancer that only skips a backend refusing connections.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `wellflow_topology_${process.pid}_${Date.now()}`;
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
const WORKERS = ALL_QUEUES.map((q) => `worker-${q}`);

let temporal: DevServer;
let sql: postgres.Sql;
let parts: HostParts;
const running: WellflowProcess[] = [];
const apis: { base: string; ops: string; env: Record<string, string> }[] = [];

const token = (sub: string, role: Role = 'user') => signToken(parts.hostEnv.JWT_SECRET!, { sub, role }, 3600);
const backends = () => apis.map((a) => a.base);

beforeAll(async () => {
  temporal = await startDevServer({
    cliPath: inject('temporalCli'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    headless: true,
    searchAttributes: false, // a bare cluster: `migrate` must register them
    logger: createLogger('warn'),
  });
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  parts = {
    databaseUrl: url.toString(),
    temporalAddress: temporal.address,
    natsUrl: 'nats://127.0.0.1:4222',
    // Its own Redis database number: the per-IP rate-limit counter (127.0.0.1) is not shared with other runs.
    redisUrl: `redis://127.0.0.1:6379/${1 + (process.pid % 15)}`,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-topology-')),
    bundlePath: inject('bundlePath'),
    hostEnv: {
      JWT_SECRET: randomBytes(48).toString('base64'),
      WELLFLOW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    },
  };
}, 120_000);

afterAll(async () => {
  for (const p of running) p.kill();
  await Promise.all(running.map((p) => p.exited));
  await sql?.end();
  await temporal?.stop();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`).catch(() => {});
  await admin.end();
  if (parts) fs.rmSync(parts.dataDir, { recursive: true, force: true });
}, 120_000);

async function startApi(slot: number, ports?: { PORT: number; OPS_PORT: number }) {
  const p = ports ?? { PORT: await freePort(), OPS_PORT: await freePort() };
  const env = serviceEnv('api', parts, p);
  const proc = startService('api', env);
  running.push(proc);
  const api = { base: `http://127.0.0.1:${p.PORT}`, ops: `http://127.0.0.1:${p.OPS_PORT}`, env };
  await waitHealthy(proc, `${api.ops}/health`);
  await waitHealthy(proc, `${api.base}/ready`);
  apis[slot] = api;
  return { proc, ports: p };
}

/** Every meal of `userId` completed once: one row closed `completed`, one analysis, one closed run in Temporal. */
async function expectEachCompletedOnce(userId: string, mealIds: string[]) {
  await eventually(async () => {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from app.meals where user_id = ${userId} and closed_at is not null`;
    return row?.n === mealIds.length;
  }, 240_000);
  const meals = await sql<{ id: string; outcome: string }[]>`
    select id, outcome from app.meals where user_id = ${userId}`;
  expect(meals.map((m) => m.id).sort()).toEqual([...mealIds].sort());
  expect(meals.filter((m) => m.outcome !== 'completed')).toEqual([]);
  const analyses = await sql<{ meal_id: string; n: number }[]>`
    select meal_id, count(*)::int as n from app.meal_analyses where meal_id = any(${mealIds}::uuid[]) group by 1`;
  expect(analyses.length).toBe(mealIds.length);
  expect(analyses.filter((a) => a.n !== 1)).toEqual([]);
  // One run per meal id, each completed: the person's run list, read from Temporal's visibility.
  const auth = await token(userId);
  const runs = await eventually(
    async () => {
      const items: { workflowId: string; status: string }[] = [];
      let cursor: string | null = null;
      do {
        const query = `type=mealAnalysis&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await viaBalancer(backends(), 0, 'GET', `/v1/workflows?${query}`, { token: auth });
        items.push(...(page.json.items as typeof items));
        cursor = page.json.nextCursor as string | null;
      } while (cursor);
      return items.length >= mealIds.length && items.every((r) => r.status !== 'running') ? items : undefined;
    },
    60_000,
    1_000,
  );
  expect(runs.map((r) => r.workflowId).sort()).toEqual(mealIds.map((id) => `meal-${id}`).sort());
  expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
}

describe('the docker-compose topology as processes', () => {
  it('migrates a bare cluster, syncs schedules, and serves meals, a crisis case and a schedule through two APIs', async () => {
    const migrated = await runJob('migrate', serviceEnv('migrate', parts));
    expect(migrated).toContain('migrations applied');
    expect(migrated).toContain('created UserId, WellflowStatus');
    const synced = await runJob('schedules-sync', serviceEnv('schedules-sync', parts));
    expect(synced).toMatch(/^created\s+.*maintenance-health-report/m);

    await Promise.all(
      WORKERS.map(async (w) => {
        const ops = await freePort();
        const proc = startService(w, serviceEnv(w, parts, { OPS_PORT: ops, WORKER_METRICS_PORT: await freePort() }));
        running.push(proc);
        await waitHealthy(proc, `http://127.0.0.1:${ops}/health`);
      }),
    );
    await startApi(0);
    await startApi(1);

    // Internals only on the ops port: /metrics and /health/detailed, with a poller on every queue.
    for (const api of apis) {
      expect((await fetch(`${api.base}/metrics`)).status).toBe(404);
      expect((await fetch(`${api.base}/health/detailed`)).status).toBe(404);
      expect(await (await fetch(`${api.ops}/metrics`)).text()).toContain('wellflow_http_requests_total');
    }
    const detailed = await eventually(async () => {
      const d = (await (await fetch(`${apis[0]!.ops}/health/detailed`)).json()) as any;
      return d.checks.workers.status === 'HEALTHY' ? d : undefined;
    }, 60_000);
    expect(detailed.checks.temporal.status).toBe('HEALTHY');

    // Text meals through both APIs.
    const eater = `topo-${randomUUID().slice(0, 8)}`;
    const mealIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await viaBalancer(backends(), i, 'POST', '/v1/meals', {
        token: await token(eater),
        body: { description: '2 eggs, a banana and a glass of milk', mealType: 'breakfast' },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(202);
      mealIds.push(res.json.mealId);
    }
    await expectEachCompletedOnce(eater, mealIds);

    // A journal entry that opens a crisis case (critical queue), read back by staff through the other API.
    const writer = `topo-${randomUUID().slice(0, 8)}`;
    const entry = await viaBalancer(backends(), 0, 'POST', '/v1/journal-entries', {
      token: await token(writer),
      body: { text: HIGH_TEXT, mood: 2 },
    });
    expect(entry.status).toBe(202);
    const caseId = await eventually(async () => {
      const rows = await sql<{ id: string }[]>`select id from app.crisis_cases where user_id = ${writer}`;
      return rows[0]?.id;
    }, 60_000);
    const seen = await viaBalancer(backends(), 1, 'GET', `/v1/crisis/cases/${caseId}`, {
      token: await token('nurse-1', 'staff'),
    });
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ userId: writer, status: 'open' });

    // A synced schedule, triggered by an admin, runs its job on the default worker.
    const admin = await token('ops-1', 'admin');
    const trigger = await viaBalancer(backends(), 0, 'POST', '/v1/schedules/maintenance-health-report/trigger', {
      token: admin,
    });
    expect(trigger.status).toBe(202);
    await eventually(async () => {
      const rows = await sql<{ status: string }[]>`
        select status from app.maintenance_runs where job = 'health-report' and status = 'completed'`;
      return rows.length > 0;
    }, 120_000);
  }, 600_000);

  it('rolls one API with SIGTERM while a client keeps sending: zero failed requests, every meal completed once', async () => {
    // What counts as failed: a thrown request (anything but a refused connection, which the balancer skips), or
    // an answer other than 202 for a meal post and 200 for a meal read.
    const failures: string[] = [];
    const answered: Answer[] = [];
    const users = Array.from({ length: 6 }, () => `roll-${randomUUID().slice(0, 8)}`);
    const mealsOf = new Map(users.map((u) => [u, [] as string[]]));
    let sending = true;
    const client = (async () => {
      // ~6 requests a second: under the per-IP (600/min) and per-user (120/min) limits every replica shares.
      for (let i = 0; sending; i++) {
        const user = users[i % users.length]!;
        const auth = await token(user);
        try {
          const mine = mealsOf.get(user)!;
          const res =
            i % 2 === 0 || mine.length === 0
              ? await viaBalancer(backends(), i, 'POST', '/v1/meals', {
                  token: auth,
                  headers: { 'Idempotency-Key': randomUUID() },
                  body: { description: 'a bowl of oatmeal with blueberries', mealType: 'breakfast' },
                })
              : await viaBalancer(backends(), i, 'GET', `/v1/meals/${mine.at(-1)}`, { token: auth });
          answered.push(res);
          if (res.status === 202) mine.push(res.json.mealId);
          else if (res.status !== 200) failures.push(`${res.status} via ${res.via}: ${JSON.stringify(res.json)}`);
        } catch (err) {
          failures.push(`request ${i}: ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    await eventually(async () => answered.length >= 10, 60_000);
    const old = running.find((p) => p.service === 'api' && p.env.PORT === apis[0]!.base.split(':')[2])!;
    const ports = { PORT: Number(old.env.PORT), OPS_PORT: Number(old.env.OPS_PORT) };
    expect(await old.stop()).toBe(0); // drained and exited on its own, within the grace time
    const during = answered.length;
    await startApi(0, ports); // the replacement, on the same address behind the balancer
    const restartedAt = answered.length;
    await eventually(
      async () => answered.slice(restartedAt).filter((a) => a.via === apis[0]!.base).length >= 5,
      60_000,
    );
    sending = false;
    await client;

    const meals = [...mealsOf.values()].reduce((n, ids) => n + ids.length, 0);
    console.log(
      `roll: ${answered.length} requests answered (${restartedAt - during} while api-0 was away), ${meals} meals, ` +
        `${failures.length} failed`,
    );
    expect(failures).toEqual([]);
    expect(answered.length).toBeGreaterThan(during); // requests kept flowing while one API was away
    for (const user of users) await expectEachCompletedOnce(user, mealsOf.get(user)!);
  }, 600_000);
});
