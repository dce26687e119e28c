import type { AlertAction, HealthCheckResult, HealthReport, HealthStatus, TableVacuum, VacuumReport } from './types';

/** Pure summarising for the maintenance jobs (no I/O: workflows and activities both use it). */

/** Adds one pass's counts into a running total (missing keys start at 0). */
export function addCounts(into: Record<string, number>, add: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(add)) into[k] = (into[k] ?? 0) + (Number.isFinite(v) ? v : 0);
  return into;
}

/** Per-table before/after and totals, tables in name order so two reports compare line by line. */
export function summariseVacuumReport(tables: TableVacuum[]): VacuumReport {
  const rows = [...tables]
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
    .map((t) => ({
      table: t.table,
      liveTuples: { before: t.before.liveTuples, after: t.after.liveTuples },
      deadTuples: { before: t.before.deadTuples, after: t.after.deadTuples },
      totalBytes: { before: t.before.totalBytes, after: t.after.totalBytes },
      sizeChangeBytes: t.after.totalBytes - t.before.totalBytes,
      lastVacuum: t.after.lastVacuum ?? t.before.lastVacuum,
      durationMs: t.durationMs,
    }));
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    tables: rows,
    totals: {
      tables: rows.length,
      deadTuplesBefore: sum((r) => r.deadTuples.before),
      deadTuplesAfter: sum((r) => r.deadTuples.after),
      totalBytesBefore: sum((r) => r.totalBytes.before),
      totalBytesAfter: sum((r) => r.totalBytes.after),
      durationMs: sum((r) => r.durationMs),
    },
  };
}

/** A health result reduced to what the run stores and alerts on: failing = every check that is not HEALTHY. */
export function healthReportOf(result: {
  status: HealthStatus;
  checks: Record<string, HealthCheckResult>;
}): HealthReport {
  const failing = Object.entries(result.checks)
    .filter(([, c]) => c.status !== 'HEALTHY')
    .map(([name]) => name)
    .sort();
  return { status: result.status, failing, checks: result.checks };
}

/**
 * UNHEALTHY means a critical dependency is down: page someone (an ops event). DEGRADED is worth a look but
 * not a page: a warning in the log. HEALTHY: nothing.
 */
export function alertActionFor(status: HealthStatus): AlertAction {
  return status === 'UNHEALTHY' ? 'event' : status === 'DEGRADED' ? 'warn' : 'none';
}
