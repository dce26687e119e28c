import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { signToken } from '../../src/api/auth';
import { eventually } from '../support/harness';
import { freePort } from '../support/ports';

/**
 * What operators import (deploy/grafana, deploy/prometheus) queries series that really exist: a `wellflow api`
 * and a `wellflow worker` process (the commands docker-compose runs) are started against the run's Temporal and
 * database, a meal goes through them, and their /metrics are scraped. Every series name, every label a
 * selector or `by (...)` names, in every dashboard panel and alert rule, must appear there.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DASHBOARD = path.join(ROOT, 'deploy/grafana/dashboards/wellflow.json');
const RULES = path.join(ROOT, 'deploy/prometheus/alerts.yml');

/** Series Prometheus makes itself (scrape health), not exposed by any target. */
const PROMETHEUS_OWN = new Set(['up']);
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = new Set(['job', 'instance']);

const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-observability-'));
const jwtSecret = randomBytes(32).toString('hex');
let apiUrl: string;
let apiOpsUrl: string;
let workerMetricsUrl: string;

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wellflow.js'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      JWT_SECRET: jwtSecret,
      WELLFLOW_DATA_DIR: dataDir,
      WELLFLOW_WORKFLOW_BUNDLE: inject('bundlePath'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

const text = async (url: string) => {
  const res = await fetch(url);
  return res.ok ? res.text() : undefined;
};

// Rows the business gauges need to have labelled samples (a crisis case, maintenance runs); removed afterwards.
const caseId = randomUUID();
const runPrefix = `observability-${caseId.slice(0, 8)}`;
const sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });

beforeAll(async () => {
  await sql`insert into app.crisis_cases (id, user_id, workflow_id, status, tier, level, opened_at, acknowledged_at)
            values (${caseId}, 'u-observability', ${`crisis-${caseId}`}, 'acknowledged', 'high', 1,
                    now() - interval '5 minutes', now() - interval '3 minutes')`;
  await sql`insert into app.maintenance_runs ${sql(
    ['completed', 'failed'].map((status, i) => ({
      run_id: `${runPrefix}-${i}`,
      workflow_id: `maintenance-${runPrefix}`,
      job: 'health-report',
      status,
    })),
  )}`;
  const [apiPort, opsPort, workerOps, workerMetrics] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const key = randomBytes(32).toString('base64');
  start(['worker', '--queues', 'critical,default,heavy'], {
    WELLFLOW_ENCRYPTION_KEY: key,
    OPS_PORT: String(workerOps),
    WORKER_METRICS_PORT: String(workerMetrics),
  });
  start(['api'], {
    WELLFLOW_ENCRYPTION_KEY: key,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    OPS_PORT: String(opsPort),
    WORKER_METRICS_PORT: '0',
  });
  apiUrl = `http://127.0.0.1:${apiPort}`;
  apiOpsUrl = `http://127.0.0.1:${opsPort}`;
  workerMetricsUrl = `http://127.0.0.1:${workerMetrics}/metrics`;
  await eventually(() => text(`${apiUrl}/ready`).catch(() => undefined), 90_000, 500);
  await eventually(() => text(workerMetricsUrl).catch(() => undefined), 90_000, 500);
}, 180_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await sql`delete from app.crisis_cases where id = ${caseId}`;
  await sql`delete from app.maintenance_runs where run_id like ${`${runPrefix}%`}`;
  await sql.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Series name → label names seen, from a Prometheus text exposition. */
function exposed(exposition: string, into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? \S+/.exec(line);
    if (!m) continue;
    const labels = into.get(m[1]!) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/(\w+)="/g)) labels.add(l[1]!);
    into.set(m[1]!, labels);
  }
  return into;
}

/** Every PromQL expression in the dashboard and the alert rules, with where it comes from. */
function queries(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  for (const p of dashboard.panels)
    for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}"`, expr: t.expr });
  const rules = parse(fs.readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  for (const g of rules.groups) for (const r of g.rules) out.push({ where: `alert ${r.alert}`, expr: r.expr });
  return out;
}

/** The series an expression reads, with the labels its selectors and groupings name. */
function reads(expr: string): { series: string[]; labels: string[] } {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\$__rate_interval/g, '5m');
  const keywords =
    /^(sum|max|min|avg|count|rate|increase|delta|histogram_quantile|topk|by|without|offset|on|ignoring|and|or|unless)$/;
  // Names outside selectors and groupings, that are not functions or keywords, are series.
  const bare = code.replace(/\{[^}]*\}/g, '{}').replace(/\b(?:by|without)\s*\([^)]*\)/g, '');
  const series = [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .map((m) => m[0])
    .filter((n) => !keywords.test(n) && /_/.test(n));
  const labels = [
    ...[...code.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
      [...m[1]!.matchAll(/(\w+)\s*(?:=~|!=|!~|=)/g)].map((l) => l[1]!),
    ),
    ...[...code.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
  ].filter(Boolean);
  return { series: [...new Set(series)], labels: [...new Set(labels)] };
}

describe('dashboard and alert rules read series the processes expose', () => {
  it('parses every panel and every rule', () => {
    const all = queries();
    expect(all.filter((q) => q.where.startsWith('alert')).length).toBeGreaterThanOrEqual(15);
    expect(all.filter((q) => q.where.startsWith('panel')).length).toBeGreaterThanOrEqual(20);
    expect(reads('sum by (le, task_queue) (rate(temporal_x_bucket{a="b"}[5m]))')).toEqual({
      series: ['temporal_x_bucket'],
      labels: ['a', 'le', 'task_queue'],
    });
  });

  it('after a meal went through an API and a worker, every queried series and label is exposed', async () => {
    const token = await signToken(jwtSecret, { sub: 'u-observability', role: 'user' }, 600);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const started = await fetch(`${apiUrl}/v1/meals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ description: '2 eggs and a slice of toast' }),
    });
    expect(started.status).toBe(202);
    const { mealId } = (await started.json()) as { mealId: string };
    await eventually(async () => {
      const meal = (await (await fetch(`${apiUrl}/v1/meals/${mealId}`, { headers })).json()) as { status: string };
      return meal.status === 'completed';
    }, 90_000);
    // A journal entry: its screening runs ordinary (not local) activities on the critical queue.
    const entry = await fetch(`${apiUrl}/v1/journal-entries`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'A quiet day, a long walk and an early night.' }),
    });
    expect(entry.status).toBe(202);
    const { workflowId } = (await entry.json()) as { workflowId: string };
    await eventually(async () => {
      const run = (await (await fetch(`${apiUrl}/v1/workflows/${workflowId}`, { headers })).json()) as {
        status: string;
      };
      return run.status === 'completed';
    }, 90_000);
    // An unknown run (404), a bad body (422) and no token (401): the error series have samples too.
    await fetch(`${apiUrl}/v1/workflows/meal-unknown`, { headers });
    await fetch(`${apiUrl}/v1/meals`, { method: 'POST', headers, body: '{}' });
    await fetch(`${apiUrl}/v1/meals`);

    const series = new Map<string, Set<string>>();
    exposed((await text(`${apiOpsUrl}/metrics`))!, series);
    // The SDK exports on its own schedule: wait until the worker's activity and workflow series are there.
    const worker = await eventually(
      async () => {
        const t = await text(workerMetricsUrl);
        return t?.includes('temporal_activity_schedule_to_start_latency_bucket') &&
          t.includes('temporal_workflow_completed')
          ? t
          : undefined;
      },
      60_000,
      1_000,
    );
    exposed(worker, series);

    const problems: string[] = [];
    for (const { where, expr } of queries()) {
      const { series: names, labels } = reads(expr);
      for (const name of names) if (!PROMETHEUS_OWN.has(name) && !series.has(name)) problems.push(`${where}: ${name}`);
      const known = new Set([...names.flatMap((n) => [...(series.get(n) ?? [])]), ...TARGET_LABELS]);
      for (const label of labels)
        if (!known.has(label)) problems.push(`${where}: label ${label} on ${names.join(', ')}`);
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
