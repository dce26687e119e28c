import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client';
import type { Logger } from '../logger';

/**
 * Prometheus metrics of one API process: HTTP traffic, Temporal workflow starts made through its client,
 * business counts read from PostgreSQL at scrape time, and Node.js process metrics.
 *
 * One `Registry` per `createMetrics` call, never prom-client's global default registry: tests build several
 * apps in one process, and a second registration of the same name in a shared registry throws.
 */

/** Label value for requests no route pattern matched (unknown paths, CORS preflights answered by middleware). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Request duration buckets, in seconds, 5 ms … 10 s:
 * - 5/10/25 ms: health, ping, metrics and reads that hit one indexed PostgreSQL row;
 * - 50/100/250 ms: calls that also round-trip to Temporal (start, describe, query) or visibility listings;
 * - 0.5/1/2.5 s: slow paths worth seeing apart (10 MB photo uploads, a loaded Temporal frontend);
 * - 5/10 s: clients and proxies commonly give up around here; anything slower lands in +Inf, which is an
 *   alert in itself rather than something to resolve finely.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How long one PostgreSQL read of the business counts is reused. Prometheus usually scrapes every 15–60 s,
 * but several Prometheus servers, a curl loop or an unauthenticated caller (the endpoint needs no token)
 * could scrape far more often; with this TTL every API process runs the aggregate queries at most four
 * times a minute whatever the scrape rate. The counts move slowly, so 15 s of staleness costs nothing.
 */
export const BUSINESS_CACHE_TTL_MS = 15_000;

/**
 * Server-side limit on the aggregate queries: below Prometheus' default 10 s scrape timeout, so a slow
 * database yields `wellflow_business_metrics_up 0` and a complete answer instead of a failed scrape.
 */
const BUSINESS_QUERY_TIMEOUT = '5s';

/** Acknowledgement latency covers cases acknowledged in this window: recent performance, bounded scan. */
const ACK_LATENCY_WINDOW = '30 days';
const ACK_QUANTILES = [0.5, 0.95, 0.99] as const;

/** The crisis timeline event recorded when a case moves up the staff ladder (workflows/crisis-case.ts). */
export const ESCALATION_EVENT_TYPE = 'escalated';

// Anything else (a client may send any token as a method) is folded into one value: bounded cardinality.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface BusinessSnapshot {
  mealsByOutcome: { outcome: string; n: number }[];
  crisisEscalations: number;
  casesByStatus: { status: string; n: number }[];
  ackLatency: { count: number; quantiles: (number | null)[] };
  weeklyInsights: number;
  maintenanceRuns: { job: string; status: string; n: number }[];
}

export interface Metrics {
  registry: Registry;
  /** Hono middleware: register it first (`app.use('*', …)`) so it times the whole request. */
  httpMiddleware: MiddlewareHandler;
  /** For the client's `interceptors.workflow`: counts workflow starts by type. */
  workflowStartInterceptor: WorkflowClientInterceptor;
  close(): Promise<void>;
}

export interface MetricsOptions {
  database: Pick<Database, 'sql'>;
  logger: Logger;
  /** Reuse of one business-count read; tests pass 0 to read on every scrape. */
  businessCacheTtlMs?: number;
  /** Reads the business counts; default `readBusinessSnapshot(database.sql)`. Unit tests substitute one. */
  readBusiness?: () => Promise<BusinessSnapshot>;
  /** Process metrics (CPU, memory, event loop, GC); tests may turn them off. Default: on. */
  defaultMetrics?: boolean;
}

/**
 * The matched route PATTERN (`/v1/meals/:mealId`), never the raw path: raw paths carry ids (personal data
 * in a health app) and grow without bound. Middleware is registered with method `ALL`; the endpoint is the
 * method-specific route. After `next()` `routeIndex` points at the last handler that ran: the endpoint when
 * it answered, a middleware when that answered first (auth 401, body limit 413) — then the label is the
 * endpoint the request was addressed to. No endpoint matched: `unmatched`.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const current = routes[c.req.routeIndex];
  if (current && current.method !== 'ALL') return current.path;
  return routes.find((r) => r.method !== 'ALL')?.path ?? UNMATCHED_ROUTE;
}

export function methodLabel(method: string): string {
  const m = method.toUpperCase();
  return KNOWN_METHODS.has(m) ? m : 'OTHER';
}

/**
 * The business counts, in one read-only transaction (one pooled connection, one consistent snapshot, a
 * statement timeout). Full counts rather than increments kept in memory: see `createMetrics`.
 */
export async function readBusinessSnapshot(sql: Database['sql']): Promise<BusinessSnapshot> {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx.unsafe(`set local statement_timeout = '${BUSINESS_QUERY_TIMEOUT}'`);
    // float8: count(*) is a bigint, which postgres.js returns as a string.
    const meals = await tx<{ outcome: string; n: number }[]>`
      select outcome, count(*)::float8 as n from app.meals where outcome is not null group by outcome`;
    const [escalations] = await tx<{ n: number }[]>`
      select count(*)::float8 as n from app.crisis_events where type = ${ESCALATION_EVENT_TYPE}`;
    const cases = await tx<{ status: string; n: number }[]>`
      select status, count(*)::float8 as n from app.crisis_cases group by status`;
    // From the case's opening to its acknowledgement. A re-opened case keeps its first opened_at, so its
    // second acknowledgement counts from the first opening (an overestimate, on the safe side).
    const [ack] = await tx<{ n: number; q: (number | null)[] | null }[]>`
      select count(*)::float8 as n,
             percentile_cont(${tx.array([...ACK_QUANTILES])}::float8[]) within group
               (order by extract(epoch from acknowledged_at - opened_at)) as q
        from app.crisis_cases
       where acknowledged_at is not null and acknowledged_at >= now() - ${ACK_LATENCY_WINDOW}::interval`;
    const [insights] = await tx<{ n: number }[]>`select count(*)::float8 as n from app.weekly_insights`;
    const runs = await tx<{ job: string; status: string; n: number }[]>`
      select job, status, count(*)::float8 as n from app.maintenance_runs group by job, status`;
    return {
      mealsByOutcome: [...meals],
      crisisEscalations: escalations?.n ?? 0,
      casesByStatus: [...cases],
      ackLatency: { count: ack?.n ?? 0, quantiles: ack?.q ?? ACK_QUANTILES.map(() => null) },
      weeklyInsights: insights?.n ?? 0,
      maintenanceRuns: [...runs],
    };
  });
}

export function createMetrics(opts: MetricsOptions): Metrics {
  const { database, logger } = opts;
  const ttl = opts.businessCacheTtlMs ?? BUSINESS_CACHE_TTL_MS;
  const readBusiness = opts.readBusiness ?? (() => readBusinessSnapshot(database.sql));
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'wellflow_' });

  // ---- HTTP -------------------------------------------------------------------------------------------
  const httpLabels = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'wellflow_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: httpLabels,
    registers,
  });
  const duration = new Histogram({
    name: 'wellflow_http_request_duration_seconds',
    help: 'Time until the handler returned its response (streamed bodies excluded), by method, route pattern and status',
    labelNames: httpLabels,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });

  const httpMiddleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    let threw = false;
    try {
      await next();
    } catch (err) {
      // Hono's compose turns handler errors into responses (onError); one reaches here only when the error
      // handler itself failed, and the server then answers 500.
      threw = true;
      throw err;
    } finally {
      const labels = {
        method: methodLabel(c.req.method),
        route: routeLabel(c),
        status: threw ? '500' : String(c.res.status),
      };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - started) / 1000);
    }
  };

  // ---- Temporal client --------------------------------------------------------------------------------
  const starts = new Counter({
    name: 'wellflow_workflow_starts_total',
    help: "Workflow starts accepted by Temporal through this process's client, by workflow type (signal-with-start and update-with-start count each request, also when it joined a running workflow)",
    labelNames: ['workflow_type'] as const,
    registers,
  });
  // Counted after the server accepted the call: a refused start (already started, invalid) is not a start.
  // `startWithDetails` is what SDK 1.24 calls for `workflow.start`/`execute`; the deprecated `start` hook is
  // only adapted into it when `startWithDetails` is absent, so defining both would leave `start` dead.
  const workflowStartInterceptor: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      const out = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return out;
    },
    async signalWithStart(input, next) {
      const runId = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return runId;
    },
    async startUpdateWithStart(input, next) {
      const out = await next(input);
      starts.inc({ workflow_type: input.workflowType });
      return out;
    },
  };

  // ---- Business counts, read from PostgreSQL at scrape time -------------------------------------------
  // Why counts from the database rather than in-process counters incremented by the code paths: every API
  // process reads the same rows, so any replica answers the same numbers (aggregate them with max(), not
  // sum()), and they survive restarts and deploys (an in-process counter restarts at 0 and only sees the
  // work of its own process — meal outcomes and escalations are written by workers, not by the API).
  // The read is cached for BUSINESS_CACHE_TTL_MS so scrapes cannot hammer the database; concurrent scrapes
  // share the read in flight. A failed read keeps serving the last good values with `..._up 0` (and is
  // itself cached for the TTL, so a struggling database is not retried on every scrape).
  let cached: { at: number; read: Promise<{ ok: boolean; data?: BusinessSnapshot }> } | undefined;
  let lastGood: BusinessSnapshot | undefined;
  const snapshot = () => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttl) {
      cached = {
        at: now,
        read: Promise.resolve()
          .then(readBusiness)
          .then(
            (data) => {
              lastGood = data;
              return { ok: true, data };
            },
            (err: unknown) => {
              logger.warn({ err: String(err) }, 'metrics: reading business counts failed');
              return { ok: false, data: lastGood };
            },
          ),
      };
    }
    return cached.read;
  };

  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, s: BusinessSnapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const { data } = await snapshot();
        this.reset(); // a label value gone from the table (a status no case has any more) must disappear
        if (data) fill(this, data);
      },
    });

  new Gauge({
    name: 'wellflow_business_metrics_up',
    help: '1 when the last read of the business counts from PostgreSQL succeeded; 0 when it failed and the business gauges are stale (last good read) or absent',
    registers,
    async collect() {
      this.set((await snapshot()).ok ? 1 : 0);
    },
  });
  gauge(
    'wellflow_meals_analyzed_total',
    'Meals whose analysis run ended, by outcome (completed, failed, cancelled); from app.meals',
    ['outcome'],
    (g, s) => {
      for (const r of s.mealsByOutcome) g.set({ outcome: r.outcome }, r.n);
    },
  );
  gauge(
    'wellflow_crisis_escalations_total',
    `Crisis escalations to the next staff level ever recorded ("${ESCALATION_EVENT_TYPE}" events in app.crisis_events)`,
    [],
    (g, s) => g.set(s.crisisEscalations),
  );
  gauge(
    'wellflow_crisis_cases',
    'Crisis cases by current status (open, acknowledged, resolved, closed); from app.crisis_cases',
    ['status'],
    (g, s) => {
      for (const r of s.casesByStatus) g.set({ status: r.status }, r.n);
    },
  );
  gauge(
    'wellflow_crisis_ack_latency_seconds',
    `Time from a crisis case opening to its acknowledgement, quantiles over cases acknowledged in the last ${ACK_LATENCY_WINDOW} (absent when there are none)`,
    ['quantile'],
    (g, s) => {
      ACK_QUANTILES.forEach((q, i) => {
        const v = s.ackLatency.quantiles[i];
        if (v !== null && v !== undefined) g.set({ quantile: String(q) }, v);
      });
    },
  );
  gauge(
    'wellflow_crisis_ack_latency_seconds_count',
    `Crisis cases acknowledged in the last ${ACK_LATENCY_WINDOW}`,
    [],
    (g, s) => g.set(s.ackLatency.count),
  );
  gauge(
    'wellflow_weekly_insights_total',
    'Stored weekly insights (one per person and week); from app.weekly_insights',
    [],
    (g, s) => g.set(s.weeklyInsights),
  );
  gauge(
    'wellflow_maintenance_runs_total',
    'Maintenance runs by job and status; from app.maintenance_runs',
    ['job', 'status'],
    (g, s) => {
      for (const r of s.maintenanceRuns) g.set({ job: r.job, status: r.status }, r.n);
    },
  );

  return {
    registry,
    httpMiddleware,
    workflowStartInterceptor,
    async close() {
      registry.clear();
      cached = undefined;
      lastGood = undefined;
    },
  };
}
