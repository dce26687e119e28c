import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App, AppEnv } from '../../src/api/types';
import { metricsRouter } from '../../src/api/routes/metrics/metrics.index';
import {
  type BusinessSnapshot,
  createMetrics,
  HTTP_DURATION_BUCKETS,
  type MetricsOptions,
} from '../../src/observability/metrics';
import { one, samples } from '../support/prometheus-text';

const logger = pino({ level: 'silent' });
const noDb = { sql: {} } as unknown as MetricsOptions['database'];
const snapshot = (over: Partial<BusinessSnapshot> = {}): BusinessSnapshot => ({
  mealsByOutcome: [{ outcome: 'completed', n: 3 }],
  crisisEscalations: 2,
  casesByStatus: [{ status: 'open', n: 1 }],
  ackLatency: { count: 4, quantiles: [30, 90, 120] },
  weeklyInsights: 5,
  maintenanceRuns: [{ job: 'cleanup', status: 'completed', n: 6 }],
  ...over,
});

function appWith(metrics: ReturnType<typeof createMetrics>) {
  const app: App = new OpenAPIHono<AppEnv>();
  app.use('*', metrics.httpMiddleware);
  app.use('/v1/*', async (c, next) =>
    c.req.header('authorization') ? next() : c.json({ error: 'missing_token' }, 401),
  );
  app.get('/v1/meals/batch/:batchId', (c) => c.json({ batchId: c.req.param('batchId') }));
  app.get('/v1/meals/:mealId', (c) =>
    c.req.param('mealId') === 'gone' ? c.json({ error: 'not_found' }, 404) : c.json({ id: c.req.param('mealId') }),
  );
  app.post('/v1/meals', (c) => c.json({ ok: true }, 202));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  const sub = new Hono();
  sub.get('/items/:itemId', (c) => c.text('item'));
  app.route('/v1/shop', sub);
  app.notFound((c) => c.json({ error: 'route_not_found' }, 404));
  app.onError((_err, c) => c.json({ error: 'internal' }, 500));
  app.route('/', metricsRouter(metrics));
  return app;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HTTP metrics', () => {
  it('label requests with the route pattern, method and status: never the raw path', async () => {
    const metrics = createMetrics({
      database: noDb,
      logger,
      readBusiness: async () => snapshot(),
      defaultMetrics: false,
    });
    const app = appWith(metrics);
    const auth = { Authorization: 'Bearer x' };
    expect((await app.request('/v1/meals/6f1c1b1e-aaaa-4000-8000-000000000001', { headers: auth })).status).toBe(200);
    expect((await app.request('/v1/meals/6f1c1b1e-aaaa-4000-8000-000000000002', { headers: auth })).status).toBe(200);
    expect((await app.request('/v1/meals/gone', { headers: auth })).status).toBe(404);
    expect((await app.request('/v1/meals/batch/b-123', { headers: auth })).status).toBe(200);
    expect((await app.request('/v1/meals/secret-id')).status).toBe(401); // answered by middleware
    expect((await app.request('/v1/meals', { method: 'POST', headers: auth })).status).toBe(202);
    expect((await app.request('/v1/shop/items/i-9', { headers: auth })).status).toBe(200);
    expect((await app.request('/boom')).status).toBe(500);
    expect((await app.request('/no/such/path/u-42')).status).toBe(404);
    expect((await app.request('/v1/meals', { method: 'PROPFIND', headers: auth })).status).toBe(404);

    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await res.text();
    const req = (method: string, route: string, status: string) =>
      one(text, 'wellflow_http_requests_total', { method, route, status });
    expect(req('GET', '/v1/meals/:mealId', '200')).toBe(2);
    expect(req('GET', '/v1/meals/:mealId', '404')).toBe(1);
    expect(req('GET', '/v1/meals/:mealId', '401')).toBe(1);
    expect(req('GET', '/v1/meals/batch/:batchId', '200')).toBe(1);
    expect(req('POST', '/v1/meals', '202')).toBe(1);
    expect(req('GET', '/v1/shop/items/:itemId', '200')).toBe(1);
    expect(req('GET', '/boom', '500')).toBe(1);
    expect(req('GET', 'unmatched', '404')).toBe(1);
    expect(req('OTHER', 'unmatched', '404')).toBe(1);
    for (const raw of ['6f1c1b1e', 'gone', 'b-123', 'secret-id', 'i-9', 'u-42', 'PROPFIND'])
      expect(text).not.toContain(raw);

    expect(
      one(text, 'wellflow_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/meals/:mealId',
        status: '200',
      }),
    ).toBe(2);
    const les = samples(text, 'wellflow_http_request_duration_seconds_bucket', { route: '/boom' }).length;
    expect(les).toBe(HTTP_DURATION_BUCKETS.length + 1); // + the +Inf bucket
    expect(text).toContain('le="0.005"');
    expect(text).toContain('le="10"');
    await metrics.close();
  });

  it("counts a 500 answered by Hono's default error handler (an app without onError)", async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const metrics = createMetrics({
      database: noDb,
      logger,
      readBusiness: async () => snapshot(),
      defaultMetrics: false,
    });
    const app = new Hono();
    app.use('*', metrics.httpMiddleware);
    app.get('/x/:id', async (_c, next) => {
      await next();
      throw new Error('late failure');
    });
    expect((await app.request('/x/1')).status).toBe(500);
    quiet.mockRestore();
    expect(
      one(await metrics.registry.metrics(), 'wellflow_http_requests_total', {
        method: 'GET',
        route: '/x/:id',
        status: '500',
      }),
    ).toBe(1);
  });

  it('keeps one registry per instance: two apps in one process do not share or clash', async () => {
    const a = createMetrics({ database: noDb, logger, readBusiness: async () => snapshot() });
    const b = createMetrics({ database: noDb, logger, readBusiness: async () => snapshot() });
    await appWith(a).request('/v1/meals', { method: 'POST', headers: { Authorization: 'x' } });
    expect(samples(await a.registry.metrics(), 'wellflow_http_requests_total')).toEqual([1]);
    expect(samples(await b.registry.metrics(), 'wellflow_http_requests_total')).toEqual([]);
    expect(
      samples(await a.registry.metrics(), 'wellflow_process_resident_memory_bytes').length +
        samples(await a.registry.metrics(), 'wellflow_nodejs_heap_size_total_bytes').length,
    ).toBeGreaterThan(0);
  });
});

describe('workflow start interceptor', () => {
  it('counts accepted starts, signal-with-starts and update-with-starts by type, not refused ones', async () => {
    const metrics = createMetrics({
      database: noDb,
      logger,
      readBusiness: async () => snapshot(),
      defaultMetrics: false,
    });
    const i = metrics.workflowStartInterceptor;
    const input = { workflowType: 'mealAnalysis', headers: {}, options: {} } as never;
    await i.startWithDetails!(input, async () => ({ runId: 'r1', eagerlyStarted: false }));
    await i.startWithDetails!(input, async () => ({ runId: 'r2', eagerlyStarted: false }));
    await expect(i.startWithDetails!(input, async () => Promise.reject(new Error('already started')))).rejects.toThrow(
      'already started',
    );
    await i.signalWithStart!({ workflowType: 'crisisCase' } as never, async () => 'r3');
    await i.startUpdateWithStart!(
      { workflowType: 'crisisCase' } as never,
      async () => ({ workflowExecution: { workflowId: 'w' }, updateId: 'u' }) as never,
    );
    const text = await metrics.registry.metrics();
    expect(one(text, 'wellflow_workflow_starts_total', { workflow_type: 'mealAnalysis' })).toBe(2);
    expect(one(text, 'wellflow_workflow_starts_total', { workflow_type: 'crisisCase' })).toBe(2);
  });
});

describe('business metrics', () => {
  it('exposes the snapshot as gauges', async () => {
    const metrics = createMetrics({
      database: noDb,
      logger,
      readBusiness: async () => snapshot(),
      defaultMetrics: false,
    });
    const text = await metrics.registry.metrics();
    expect(one(text, 'wellflow_business_metrics_up')).toBe(1);
    expect(one(text, 'wellflow_meals_analyzed_total', { outcome: 'completed' })).toBe(3);
    expect(one(text, 'wellflow_crisis_escalations_total')).toBe(2);
    expect(one(text, 'wellflow_crisis_cases', { status: 'open' })).toBe(1);
    expect(one(text, 'wellflow_crisis_ack_latency_seconds', { quantile: '0.5' })).toBe(30);
    expect(one(text, 'wellflow_crisis_ack_latency_seconds', { quantile: '0.95' })).toBe(90);
    expect(one(text, 'wellflow_crisis_ack_latency_seconds', { quantile: '0.99' })).toBe(120);
    expect(one(text, 'wellflow_crisis_ack_latency_seconds_count')).toBe(4);
    expect(one(text, 'wellflow_weekly_insights_total')).toBe(5);
    expect(one(text, 'wellflow_maintenance_runs_total', { job: 'cleanup', status: 'completed' })).toBe(6);
    expect(text).toMatch(/# TYPE wellflow_meals_analyzed_total gauge/);
  });

  it('reads once per TTL however often it is scraped, and concurrent scrapes share the read', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let reads = 0;
    const metrics = createMetrics({
      database: noDb,
      logger,
      defaultMetrics: false,
      readBusiness: async () => snapshot({ weeklyInsights: ++reads }),
    });
    await Promise.all([metrics.registry.metrics(), metrics.registry.metrics(), metrics.registry.metrics()]);
    expect(reads).toBe(1);
    vi.advanceTimersByTime(14_000);
    expect(one(await metrics.registry.metrics(), 'wellflow_weekly_insights_total')).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(one(await metrics.registry.metrics(), 'wellflow_weekly_insights_total')).toBe(2);
    expect(reads).toBe(2);
  });

  it('drops label values that disappeared and omits quantiles without acknowledged cases', async () => {
    let first = true;
    const metrics = createMetrics({
      database: noDb,
      logger,
      defaultMetrics: false,
      businessCacheTtlMs: 0,
      readBusiness: async () =>
        first
          ? ((first = false), snapshot())
          : snapshot({
              casesByStatus: [{ status: 'closed', n: 1 }],
              ackLatency: { count: 0, quantiles: [null, null, null] },
            }),
    });
    await metrics.registry.metrics();
    const text = await metrics.registry.metrics();
    expect(samples(text, 'wellflow_crisis_cases', { status: 'open' })).toEqual([]);
    expect(one(text, 'wellflow_crisis_cases', { status: 'closed' })).toBe(1);
    expect(samples(text, 'wellflow_crisis_ack_latency_seconds')).toEqual([]);
    expect(one(text, 'wellflow_crisis_ack_latency_seconds_count')).toBe(0);
  });

  it('a failed read still answers the scrape: last good values, up 0, a warning without details', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = pino(
      { level: 'info' },
      { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
    );
    let fail = false;
    const metrics = createMetrics({
      database: noDb,
      logger: sink,
      defaultMetrics: false,
      businessCacheTtlMs: 0,
      readBusiness: async () => {
        if (fail) throw new Error('connection refused');
        return snapshot();
      },
    });
    const app = appWith(metrics);
    expect(one(await (await app.request('/metrics')).text(), 'wellflow_business_metrics_up')).toBe(1);
    fail = true;
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(one(text, 'wellflow_business_metrics_up')).toBe(0);
    expect(one(text, 'wellflow_meals_analyzed_total', { outcome: 'completed' })).toBe(3);
    expect(lines.some((l) => l.msg === 'metrics: reading business counts failed')).toBe(true);

    const cold = createMetrics({
      database: noDb,
      logger,
      defaultMetrics: false,
      readBusiness: () => Promise.reject(new Error('down')),
    });
    const coldText = await cold.registry.metrics();
    expect(one(coldText, 'wellflow_business_metrics_up')).toBe(0);
    expect(samples(coldText, 'wellflow_meals_analyzed_total')).toEqual([]);
  });
});
