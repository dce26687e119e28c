import { describe, expect, it } from 'vitest';
import { computeRunStats, percentile } from '../../src/api/services/runs/run-stats';

const run = (type: string, status: string, start: string, ms?: number) => ({
  type,
  status: status as never,
  startedAt: start,
  closedAt: ms === undefined ? undefined : new Date(Date.parse(start) + ms).toISOString(),
});

describe('run statistics', () => {
  it('nearest-rank percentiles are observed values', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(100);
    expect(percentile(sorted, 99)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
  });

  it('counts by type and status, success rate over runs that ended on their own, durations of those runs, busiest hours', () => {
    const stats = computeRunStats([
      run('mealAnalysis', 'completed', '2026-11-20T08:00:00Z', 1000),
      run('mealAnalysis', 'completed', '2026-11-20T08:30:00Z', 3000),
      run('mealAnalysis', 'failed', '2026-11-20T12:00:00Z', 2000),
      run('mealAnalysis', 'cancelled', '2026-11-20T12:10:00Z', 50),
      run('mealAnalysis', 'running', '2026-11-20T08:45:00Z'),
      run('weeklyInsight', 'completed', '2026-11-20T23:00:00Z', 400),
    ]);
    expect(stats.total).toBe(6);
    expect(stats.byStatus).toEqual({ completed: 3, failed: 1, cancelled: 1, running: 1 });
    expect(stats.byType.mealAnalysis).toMatchObject({
      total: 5,
      byStatus: { completed: 2, failed: 1, cancelled: 1, running: 1 },
      successRate: 0.6667,
    });
    expect(stats.byType.mealAnalysis!.durationMs).toEqual({ p50: 2000, p95: 3000, p99: 3000, count: 3 });
    expect(stats.byType.weeklyInsight).toMatchObject({ successRate: 1, durationMs: { p50: 400, count: 1 } });
    expect(stats.successRate).toBe(0.75);
    expect(stats.durationMs).toEqual({ p50: 1000, p95: 3000, p99: 3000, count: 4 });
    expect(stats.byHour[8]).toBe(3);
    expect(stats.busiestHours).toEqual([
      { hour: 8, runs: 3 },
      { hour: 12, runs: 2 },
      { hour: 23, runs: 1 },
    ]);
  });

  it('an empty window has no rates or percentiles rather than zeros', () => {
    const stats = computeRunStats([]);
    expect(stats).toMatchObject({ total: 0, successRate: null, durationMs: null, busiestHours: [] });
    expect(stats.byHour).toHaveLength(24);
  });
});
