import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { logErr } from './redact';

// Business counts (meals, crisis cases and escalations, insights, maintenance runs), read from PostgreSQL at
// scrape time and exposed as gauges.

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

export interface BusinessSnapshot {
  mealsByOutcome: { outcome: string; n: number }[];
  crisisEscalations: number;
  casesByStatus: { status: string; n: number }[];
  ackLatency: { count: number; quantiles: (number | null)[] };
  weeklyInsights: number;
  maintenanceRuns: { job: string; status: string; n: number }[];
}

/**
 * The business counts, in one read-only transaction (one pooled connection, one consistent snapshot, a
 * statement timeout). Full counts rather than increments kept in memory: see `createBusinessSnapshotCache`.
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

export interface BusinessSnapshotCache<T = BusinessSnapshot> {
  /** The current read: `ok` false when it failed, `data` then the last good values (if any). */
  snapshot(): Promise<{ ok: boolean; data?: T }>;
  /** Forgets the cached read and the last good values. */
  reset(): void;
}

// Why counts from the database rather than in-process counters incremented by the code paths: every API
// process reads the same rows, so any replica answers the same numbers (aggregate them with max(), not
// sum()), and they survive restarts and deploys (an in-process counter restarts at 0 and only sees the
// work of its own process — meal outcomes and escalations are written by workers, not by the API).
// The read is cached for BUSINESS_CACHE_TTL_MS so scrapes cannot hammer the database; concurrent scrapes
// share the read in flight. A failed read keeps serving the last good values with `..._up 0` (and is
// itself cached for the TTL, so a struggling database is not retried on every scrape).
// The task-queue gauges (metrics-queues.ts) read Temporal through the same cache, for the same reasons.
export function createBusinessSnapshotCache<T = BusinessSnapshot>(
  readBusiness: () => Promise<T>,
  ttl: number,
  logger: Logger,
  what = 'business counts',
): BusinessSnapshotCache<T> {
  let cached: { at: number; read: Promise<{ ok: boolean; data?: T }> } | undefined;
  let lastGood: T | undefined;
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
              logger.warn({ err: logErr(err) }, `metrics: reading ${what} failed`);
              return { ok: false, data: lastGood };
            },
          ),
      };
    }
    return cached.read;
  };
  return {
    snapshot,
    reset() {
      cached = undefined;
      lastGood = undefined;
    },
  };
}

/** Makes gauges that read the business snapshot at every scrape. */
function gaugeFactory(registers: Registry[], snapshot: BusinessSnapshotCache['snapshot']) {
  return <L extends string>(
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
}

/** `wellflow_business_metrics_up` and one gauge per business count, all read through `snapshot`. */
export function registerBusinessGauges(registers: Registry[], snapshot: BusinessSnapshotCache['snapshot']): void {
  const gauge = gaugeFactory(registers, snapshot);
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
}
