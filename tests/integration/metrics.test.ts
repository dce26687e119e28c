import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App, AppEnv } from '../../src/api/types';
import { metricsRouter } from '../../src/api/routes/metrics/metrics.index';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { type Harness, startHarness } from '../support/harness';
import { one, samples } from '../support/prometheus-text';

let h: Harness;
const logger = pino({ level: 'silent' });
const owned: Metrics[] = [];
const metricsFor = (opts: { businessCacheTtlMs?: number } = {}) => {
  const m = createMetrics({ database: h.database, logger, ...opts });
  owned.push(m);
  return m;
};
// Seeded rows carry these ids, removed afterwards: other files share the database.
const user = `u-metrics-${randomUUID().slice(0, 8)}`;
const caseId = randomUUID();
const runPrefix = `metrics-test-${randomUUID().slice(0, 8)}`;
const probeQueue = `metrics-probe-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  h = await startHarness({ workers: false });
});
afterAll(async () => {
  for (const m of owned) await m.close();
  if (h) {
    const sql = h.database.sql;
    await sql`delete from app.meals where user_id = ${user}`;
    await sql`delete from app.crisis_cases where id = ${caseId}`; // events cascade
    await sql`delete from app.weekly_insights where user_id = ${user}`;
    await sql`delete from app.maintenance_runs where run_id like ${`${runPrefix}%`}`;
  }
  await h?.stop();
});

describe('HTTP metrics on the real routes', () => {
  it('labels the matched route pattern and status, and /metrics answers without a token', async () => {
    const metrics = metricsFor();
    // The service's own app behind the metrics middleware, as app.ts composes it (first middleware).
    const app: App = new OpenAPIHono<AppEnv>();
    app.use('*', metrics.httpMiddleware);
    app.route('/', h.app);
    app.route('/', metricsRouter(metrics));

    const token = await h.token(h.newUser());
    const mealId = randomUUID();
    const get = (url: string, withToken = true) =>
      app.request(url, { headers: withToken ? { Authorization: `Bearer ${token}` } : {} });
    expect((await get('/health', false)).status).toBe(200);
    expect((await get(`/v1/meals/${mealId}`)).status).toBe(404);
    expect((await get(`/v1/meals/${mealId}`, false)).status).toBe(401);
    expect((await get('/v1/workflows/meal-unknown-run')).status).toBe(404);
    expect((await get('/nowhere/at/all', false)).status).toBe(404);
    const invalid = await app.request('/v1/meals', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(invalid.status).toBe(422);

    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const requests = (method: string, route: string, status: string) =>
      one(text, 'wellflow_http_requests_total', { method, route, status });
    expect(requests('GET', '/health', '200')).toBe(1);
    expect(requests('GET', '/v1/meals/:mealId', '404')).toBe(1);
    expect(requests('GET', '/v1/meals/:mealId', '401')).toBe(1);
    expect(requests('GET', '/v1/workflows/:workflowId', '404')).toBe(1);
    expect(requests('GET', 'unmatched', '404')).toBe(1);
    expect(requests('POST', '/v1/meals', '422')).toBe(1);
    expect(
      one(text, 'wellflow_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/meals/:mealId',
        status: '404',
      }),
    ).toBe(1);
    // Ids and raw paths never become label values.
    for (const raw of [mealId, 'meal-unknown-run', 'nowhere']) expect(text).not.toContain(raw);
    // Process metrics, prefixed.
    expect(samples(text, 'wellflow_process_cpu_user_seconds_total')).toHaveLength(1);
    expect(text).toContain('wellflow_nodejs_eventloop_lag_seconds');

    // The scrape itself is counted (by pattern) for the next one.
    expect(
      one(await (await app.request('/metrics')).text(), 'wellflow_http_requests_total', {
        method: 'GET',
        route: '/metrics',
        status: '200',
      }),
    ).toBe(1);
  });
});

describe('business metrics from PostgreSQL', () => {
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;

  it('reflect seeded meals, crisis cases and events, insights and maintenance runs', async () => {
    const sql = h.database.sql;
    await sql`insert into app.meals ${sql(
      ['completed', 'completed', 'failed', null].map((outcome) => ({
        id: randomUUID(),
        user_id: user,
        eaten_at: new Date().toISOString(),
        meal_type: 'lunch',
        workflow_id: `meal-${randomUUID()}`,
        outcome,
      })),
    )}`;
    await sql`insert into app.crisis_cases (id, user_id, workflow_id, status, tier, level, opened_at, acknowledged_at)
              values (${caseId}, ${user}, ${`crisis-${caseId}`}, 'acknowledged', 'high', 2, now() - interval '5 minutes', now() - interval '3 minutes')`;
    await sql`insert into app.crisis_events ${sql(
      ['escalated', 'escalated', 'notified'].map((type, i) => ({
        id: randomUUID(),
        case_id: caseId,
        event_key: `${caseId}:test:${i}`,
        seq: i,
        type,
        actor: 'system',
        at: new Date().toISOString(),
        data: JSON.stringify({ level: i }),
      })),
    )}`;
    await sql`insert into app.weekly_insights (id, user_id, week_start, timezone, insight) values (${randomUUID()}, ${user}, '2024-01-01', 'UTC', '{}')`;
    await sql`insert into app.maintenance_runs ${sql(
      ['completed', 'completed', 'failed'].map((status, i) => ({
        run_id: `${runPrefix}-${i}`,
        workflow_id: 'maintenance-metrics-test',
        job: 'metrics-test',
        status,
      })),
    )}`;

    // Files run one at a time, but count before and after the scrape anyway: the gauge lies in between.
    const counts = async () => ({
      completed: await count(sql`select count(*)::float8 as n from app.meals where outcome = 'completed'`),
      failed: await count(sql`select count(*)::float8 as n from app.meals where outcome = 'failed'`),
      escalations: await count(sql`select count(*)::float8 as n from app.crisis_events where type = 'escalated'`),
      acknowledged: await count(sql`select count(*)::float8 as n from app.crisis_cases where status = 'acknowledged'`),
      ackCount: await count(
        sql`select count(*)::float8 as n from app.crisis_cases where acknowledged_at >= now() - interval '30 days'`,
      ),
      insights: await count(sql`select count(*)::float8 as n from app.weekly_insights`),
    });
    const before = await counts();
    const metrics = metricsFor();
    const text = await metrics.registry.metrics();
    const after = await counts();
    const within = (v: number, key: keyof typeof before) => {
      expect(v, key).toBeGreaterThanOrEqual(before[key]);
      expect(v, key).toBeLessThanOrEqual(after[key]);
    };
    expect(one(text, 'wellflow_business_metrics_up')).toBe(1);
    expect(before.completed).toBeGreaterThanOrEqual(2);
    within(one(text, 'wellflow_meals_analyzed_total', { outcome: 'completed' }), 'completed');
    within(one(text, 'wellflow_meals_analyzed_total', { outcome: 'failed' }), 'failed');
    expect(text).not.toMatch(/wellflow_meals_analyzed_total\{outcome=""\}/); // open meals (null outcome) are not counted
    expect(before.escalations).toBeGreaterThanOrEqual(2);
    within(one(text, 'wellflow_crisis_escalations_total'), 'escalations');
    within(one(text, 'wellflow_crisis_cases', { status: 'acknowledged' }), 'acknowledged');
    within(one(text, 'wellflow_crisis_ack_latency_seconds_count'), 'ackCount');
    within(one(text, 'wellflow_weekly_insights_total'), 'insights');
    expect(one(text, 'wellflow_maintenance_runs_total', { job: 'metrics-test', status: 'completed' })).toBe(2);
    expect(one(text, 'wellflow_maintenance_runs_total', { job: 'metrics-test', status: 'failed' })).toBe(1);

    const [expected] = await sql<{ q: number[] }[]>`
      select percentile_cont(array[0.5, 0.95, 0.99]) within group (order by extract(epoch from acknowledged_at - opened_at)) as q
        from app.crisis_cases where acknowledged_at is not null and acknowledged_at >= now() - interval '30 days'`;
    const quantiles = ['0.5', '0.95', '0.99'].map((quantile) =>
      one(text, 'wellflow_crisis_ack_latency_seconds', { quantile }),
    );
    quantiles.forEach((v, i) => expect(v).toBeCloseTo(expected!.q[i]!, 3));
    expect(quantiles[0]!).toBeLessThanOrEqual(quantiles[1]!);
    expect(quantiles[1]!).toBeLessThanOrEqual(quantiles[2]!);
    // No personal data in any label: user and case ids stay in the database.
    expect(text).not.toContain(user);
    expect(text).not.toContain(caseId);
  });

  it('serves cached counts for the TTL, so scrapes do not reach the database each time', async () => {
    const sql = h.database.sql;
    const cached = metricsFor();
    const first = one(await cached.registry.metrics(), 'wellflow_meals_analyzed_total', { outcome: 'completed' });
    await sql`insert into app.meals (id, user_id, eaten_at, meal_type, workflow_id, outcome) values (${randomUUID()}, ${user}, now(), 'dinner', ${`meal-${randomUUID()}`}, 'completed')`;
    expect(one(await cached.registry.metrics(), 'wellflow_meals_analyzed_total', { outcome: 'completed' })).toBe(first);
    expect(
      one(await metricsFor({ businessCacheTtlMs: 0 }).registry.metrics(), 'wellflow_meals_analyzed_total', {
        outcome: 'completed',
      }),
    ).toBe(first + 1);
  });
});

describe('workflow start interceptor', () => {
  it('counts the starts a client made, by workflow type; a refused start is not counted', async () => {
    const metrics = metricsFor();
    const client = new Client({
      connection: h.temporal.connection,
      namespace: h.config.TEMPORAL_NAMESPACE,
      interceptors: { workflow: [metrics.workflowStartInterceptor] },
    });
    // A type no worker serves, on a queue nobody polls: the runs only need to exist.
    const ids = [`metrics-probe-${randomUUID()}`, `metrics-probe-${randomUUID()}`];
    try {
      await client.workflow.start('metricsProbe', { workflowId: ids[0]!, taskQueue: probeQueue });
      await expect(
        client.workflow.start('metricsProbe', { workflowId: ids[0]!, taskQueue: probeQueue }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await client.workflow.signalWithStart('metricsProbe', {
        workflowId: ids[1]!,
        taskQueue: probeQueue,
        signal: 'poke',
        signalArgs: [],
      });
      const text = await metrics.registry.metrics();
      expect(one(text, 'wellflow_workflow_starts_total', { workflow_type: 'metricsProbe' })).toBe(2);
      // Only this client's starts: another process's registry (or another instance) is not involved.
      expect(samples(await metricsFor().registry.metrics(), 'wellflow_workflow_starts_total')).toEqual([]);
    } finally {
      for (const id of ids)
        await client.workflow
          .getHandle(id)
          .terminate('metrics test done')
          .catch(() => {});
    }
  });
});
