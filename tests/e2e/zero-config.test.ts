import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { portIsOpen } from '../../src/ports';
import { DEFAULT_SCHEDULES } from '../../src/temporal/schedules/declared';
import { eventually } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * The zero-config path as a person runs it: `wellflow dev` (what `npm start` runs) as a child process, no
 * DATABASE_URL and no TEMPORAL_ADDRESS, on free ports, driven over HTTP. Then every process is killed
 * with SIGKILL mid-flight and the stack restarted on the same data folder.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-e2e-'));
let ports: { api: number; temporal: number; ui: number; pg: number; metrics: number; ops: number };
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;
let output = '';

function start(): ChildProcess {
  const p = spawn(process.execPath, [path.join(ROOT, 'bin', 'wellflow.js'), 'dev'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  p.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  p.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  return p;
}

const execFileAsync = promisify(execFile);
const api = (p: string) => `http://127.0.0.1:${ports.api}${p}`;
async function http(method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(api(p), {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

async function waitReady(withinMs: number): Promise<number> {
  const started = Date.now();
  await eventually(
    async () => (await fetch(api('/ready')).catch(() => undefined))?.status === 200,
    withinMs,
    250,
  ).catch((err) => {
    throw new Error(`${String(err)}\n--- wellflow output ---\n${output.slice(-4000)}`);
  });
  return Date.now() - started;
}

// Asynchronous on purpose: `wellflow token` takes seconds to start under load, and a synchronous call would
// freeze this process meanwhile, so it would reuse a keep-alive socket the server has closed in between.
const token = async (sub: string, role = 'user') =>
  (
    await execFileAsync(
      process.execPath,
      [path.join(ROOT, 'bin', 'wellflow.js'), 'token', '--sub', sub, '--role', role],
      {
        env,
        encoding: 'utf8',
      },
    )
  ).stdout.trim();
const temporalCli = (...args: string[]) =>
  execFileSync(inject('temporalCli'), [...args, '--address', `127.0.0.1:${ports.temporal}`], { encoding: 'utf8' });

function killEverything() {
  // The process group (wellflow and the Temporal dev server it spawned), then anything else still using
  // the data folder (the embedded PostgreSQL postmaster and its backends).
  try {
    process.kill(-child!.pid!, 'SIGKILL');
  } catch {
    // Already gone: nothing to kill.
  }
  // Run as root, the cluster lives outside a private data folder and postgres.location names it.
  const locationFile = path.join(dataDir, 'postgres.location');
  const clusterDir = fs.existsSync(locationFile) ? fs.readFileSync(locationFile, 'utf8').trim() : undefined;
  for (const pattern of [dataDir, clusterDir]) {
    if (!pattern) continue;
    try {
      execFileSync('pkill', ['-9', '-f', pattern]);
    } catch {
      // pkill exits 1 when nothing matched: the folder had no process left.
    }
  }
}

beforeAll(async () => {
  ports = {
    api: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    pg: await freePort(),
    metrics: await freePort(),
    ops: await freePort(),
  };
  env = {
    ...process.env,
    PORT: String(ports.api),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    EMBEDDED_PG_PORT: String(ports.pg),
    WORKER_METRICS_PORT: String(ports.metrics),
    OPS_PORT: String(ports.ops),
    RATE_LIMIT_USER_PER_MIN: '1000',
    WELLFLOW_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  // (The per-user rate limit is raised because this test polls faster than a person would; the rest is zero-config.)
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'JWT_SECRET', 'WELLFLOW_ENCRYPTION_KEY', 'TEMPORAL_CLI_PATH'])
    delete env[k];
  child = start();
});

afterAll(async () => {
  if (child && child.exitCode === null) killEverything();
  const locationFile = path.join(dataDir, 'postgres.location');
  if (fs.existsSync(locationFile))
    fs.rmSync(path.dirname(fs.readFileSync(locationFile, 'utf8').trim()), { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (wellflow dev) with zero configuration', () => {
  let alice: string;
  let firstMeal: string;

  it('is ready within 60 s, with the Temporal Web UI answering', async () => {
    const ms = await waitReady(60_000);
    expect(ms).toBeLessThan(60_000);
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);
  }, 90_000);

  it('completes a text meal started over HTTP; Temporal lists it and its history holds no plaintext', async () => {
    alice = await token('alice');
    const res = await http('POST', '/v1/meals', alice, {
      description: 'a large banana and 2 slices of whole wheat toast',
    });
    expect(res.status).toBe(202);
    firstMeal = res.json.mealId;
    const meal = await eventually(async () => {
      const r = await http('GET', `/v1/meals/${firstMeal}`, alice);
      return r.json.status === 'completed' ? r.json : undefined;
    });
    expect(meal.totals.kcal).toBeGreaterThan(0);
    const listed = await http('GET', '/v1/workflows', alice);
    expect(listed.json.items.map((i: any) => i.workflowId)).toContain(`meal-${firstMeal}`);
    expect(temporalCli('workflow', 'list', '--query', "WorkflowType='mealAnalysis'")).toContain(`meal-${firstMeal}`);
    const history = temporalCli('workflow', 'show', '--workflow-id', `meal-${firstMeal}`, '--output', 'json');
    expect(history).toContain('YmluYXJ5L2VuY3J5cHRlZA=='); // base64 of binary/encrypted
    expect(history.toLowerCase()).not.toMatch(/banana|toast/);
    expect(Buffer.from(history).toString('base64')).not.toContain(Buffer.from('banana').toString('base64'));
  });

  it('has synced the declared system schedules, visible to `temporal schedule list`', async () => {
    const listed = await eventually(async () => {
      const out = temporalCli('schedule', 'list', '--output', 'json');
      const found = (JSON.parse(out || '[]') as { scheduleId: string }[]).map((s) => s.scheduleId);
      return DEFAULT_SCHEDULES.every((d) => found.includes(d.id)) ? found : undefined;
    });
    expect(listed).toEqual(expect.arrayContaining(DEFAULT_SCHEDULES.map((d) => d.id)));
  });

  it("serves API metrics on the ops port's /metrics (not the API port) and the worker's SDK metrics on theirs", async () => {
    expect((await fetch(`http://127.0.0.1:${ports.api}/metrics`)).status).toBe(404);
    const api = await (await fetch(`http://127.0.0.1:${ports.ops}/metrics`)).text();
    expect(api).toMatch(/^wellflow_http_requests_total\{method="POST",route="\/v1\/meals",status="202"\} \d+/m);
    expect(api).toMatch(/^wellflow_workflow_starts_total\{workflow_type="mealAnalysis"\} [1-9]/m);
    expect(api).toMatch(/^wellflow_meals_analyzed_total\{outcome="completed"\} [1-9]/m);
    const worker = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
    expect(worker).toMatch(/^temporal_\w+/m);
  });

  it('answers bad requests with the envelope and X-Request-Id', async () => {
    const cases = [
      [await http('GET', `/v1/meals/${firstMeal}`, await token('mallory')), 404],
      [await http('GET', `/v1/workflows/meal-${firstMeal}`, await token('mallory')), 404],
      [await http('GET', '/v1/meals'), 401],
      [await http('POST', '/v1/meals', alice, '{not json'), 400],
      [await http('GET', '/no/such/route', alice), 404],
    ] as const;
    for (const [res, status] of cases) {
      expect(res.status).toBe(status);
      expect(res.json.error.request_id).toBe(res.headers.get('x-request-id'));
    }
  });

  it('loses and duplicates nothing when every process is killed with 20 meals in flight', async () => {
    const bob = await token('bob');
    const started = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http('POST', '/v1/meals', bob, { description: `${i + 1} almonds and a cup of milk` }),
      ),
    );
    expect(started.every((r) => r.status === 202)).toBe(true);
    killEverything();
    await eventually(
      async () =>
        !(await portIsOpen(ports.api)) && !(await portIsOpen(ports.temporal)) && !(await portIsOpen(ports.pg)),
      15_000,
    );

    child = start();
    await waitReady(60_000);
    const meals = await eventually(
      async () => {
        const r = await http('GET', '/v1/meals?limit=100', bob);
        return r.json.items.length === 20 && r.json.items.every((m: any) => m.status === 'completed')
          ? r.json.items
          : undefined;
      },
      60_000,
      500,
    );
    expect(new Set(meals.map((m: any) => m.mealId))).toEqual(new Set(started.map((r) => r.json.mealId)));
    // A meal reads completed once its close step wrote the outcome; its run completes a moment later.
    const runs = await eventually(
      async () => {
        const r = await http('GET', '/v1/workflows?limit=100', bob);
        return r.json.items.length === 20 && r.json.items.every((i: any) => i.status === 'completed') ? r : undefined;
      },
      30_000,
      500,
    );
    expect(runs.json.items).toHaveLength(20);
    // Meals from before the crash are still there, with their history.
    const before = await http('GET', `/v1/meals/${firstMeal}`, alice);
    expect(before.json.status).toBe('completed');
    expect((await http('GET', `/v1/workflows/meal-${firstMeal}`, alice)).json.status).toBe('completed');
  }, 180_000);

  it('stops cleanly on SIGINT, leaving no server running', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(child!.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(await portIsOpen(ports.temporal)).toBe(false);
    expect(await portIsOpen(ports.pg)).toBe(false);
    expect(await portIsOpen(ports.api)).toBe(false);
  }, 60_000);
});
