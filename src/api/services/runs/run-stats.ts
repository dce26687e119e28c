import type { RunSummary } from './run-views';

/**
 * Run analytics from visibility records, pure. Success rate counts runs that ended on their own
 * (completed / completed + failed + timed out + terminated); cancelled runs were stopped on request and
 * running or continued-as-new ones have not ended, so neither counts either way.
 */
interface RunStats {
  total: number;
  byType: Record<
    string,
    { total: number; byStatus: Record<string, number>; successRate: number | null; durationMs: Percentiles | null }
  >;
  byStatus: Record<string, number>;
  successRate: number | null;
  durationMs: Percentiles | null;
  /** Runs started per hour of day (UTC), index 0-23. */
  byHour: number[];
  busiestHours: { hour: number; runs: number }[];
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

const ENDED_ON_THEIR_OWN = new Set(['completed', 'failed', 'timed_out', 'terminated']);

/** Nearest-rank percentile of sorted values: always an observed duration, never an interpolation. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function percentiles(durations: number[]): Percentiles | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    count: sorted.length,
  };
}

function successRate(byStatus: Record<string, number>): number | null {
  const ended = Object.entries(byStatus).reduce((n, [s, c]) => n + (ENDED_ON_THEIR_OWN.has(s) ? c : 0), 0);
  return ended === 0 ? null : Math.round(((byStatus.completed ?? 0) / ended) * 10_000) / 10_000;
}

export function computeRunStats(runs: Pick<RunSummary, 'type' | 'status' | 'startedAt' | 'closedAt'>[]): RunStats {
  const byHour = Array.from({ length: 24 }, () => 0);
  const byStatus: Record<string, number> = {};
  const types = new Map<string, { byStatus: Record<string, number>; durations: number[] }>();
  const allDurations: number[] = [];
  for (const r of runs) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const t = types.get(r.type) ?? { byStatus: {}, durations: [] };
    types.set(r.type, t);
    t.byStatus[r.status] = (t.byStatus[r.status] ?? 0) + 1;
    if (r.startedAt) byHour[new Date(r.startedAt).getUTCHours()]!++;
    // Durations of runs that ended on their own (a cancelled or continued run's length says little).
    if (r.startedAt && r.closedAt && ENDED_ON_THEIR_OWN.has(r.status)) {
      const ms = Date.parse(r.closedAt) - Date.parse(r.startedAt);
      t.durations.push(ms);
      allDurations.push(ms);
    }
  }
  const byType: RunStats['byType'] = {};
  for (const [type, t] of [...types.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    byType[type] = {
      total: Object.values(t.byStatus).reduce((a, b) => a + b, 0),
      byStatus: t.byStatus,
      successRate: successRate(t.byStatus),
      durationMs: percentiles(t.durations),
    };
  }
  const busiestHours = byHour
    .map((runsInHour, hour) => ({ hour, runs: runsInHour }))
    .filter((h) => h.runs > 0)
    .sort((a, b) => b.runs - a.runs || a.hour - b.hour)
    .slice(0, 3);
  return {
    total: runs.length,
    byType,
    byStatus,
    successRate: successRate(byStatus),
    durationMs: percentiles(allDurations),
    byHour,
    busiestHours,
  };
}
