import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSummary, HealthReportSummary } from '../../src/domain/maintenance/types';
import { type Harness, startHarness } from '../support/harness';
import { MAINTENANCE_ENV, SECOND, maintenanceJobs } from '../support/maintenance-jobs';

/**
 * The database (vacuum) and health-report maintenance workflows on the real dev server and database, started
 * directly (the HTTP route is tested elsewhere). Retention and cleanup: maintenance-retention-cleanup.test.ts.
 */
let h: Harness;
const { runJob, runRow } = maintenanceJobs(() => h);
beforeAll(async () => {
  h = await startHarness({ env: MAINTENANCE_ENV });
});
afterAll(async () => {
  await h?.stop();
});

describe('maintenanceDatabase', () => {
  it('vacuums every app table and reports each one with its stats before and after', async () => {
    const { result: s, runId } = await runJob<DatabaseSummary>('maintenanceDatabase');
    const tables = (
      await h.database.sql<
        { tablename: string }[]
      >`select tablename from pg_tables where schemaname = 'app' order by tablename`
    ).map((r) => r.tablename);
    expect(tables).toEqual(
      expect.arrayContaining(['meals', 'journal_entries', 'maintenance_runs', 'data_deletions', 'idempotency_keys']),
    );
    expect(s.tables.map((t) => t.table)).toEqual(tables);
    expect(s.totals.tables).toBe(tables.length);
    for (const t of s.tables) {
      expect(t.lastVacuum, t.table).not.toBeNull();
      expect(Date.parse(t.lastVacuum!)).toBeGreaterThanOrEqual(Date.parse(s.asOf) - 5 * SECOND);
      expect(t.totalBytes.after, t.table).toBeGreaterThan(0);
      expect(t.deadTuples.after, t.table).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(t.liveTuples.before)).toBe(true);
    }
    expect(await runRow(runId)).toMatchObject({ job: 'database', status: 'completed', result: s });
  });
});

describe('maintenanceHealthReport', () => {
  it('stores the report of every check in maintenance_runs', async () => {
    const { result: s, runId, workflowId } = await runJob<HealthReportSummary>('maintenanceHealthReport');
    expect(['HEALTHY', 'DEGRADED']).toContain(s.status);
    expect(Object.keys(s.checks).sort()).toEqual([
      'crisis_alerts',
      'database',
      'disk',
      'image_store',
      'memory',
      'model_server',
      'temporal',
      'workers',
    ]);
    expect(s.failing).toEqual(
      Object.entries(s.checks)
        .filter(([, c]) => c.status !== 'HEALTHY')
        .map(([n]) => n)
        .sort(),
    );
    expect(s.alert).toBe(s.status === 'HEALTHY' ? 'none' : 'warn');
    expect(await runRow(runId)).toMatchObject({ job: 'health-report', status: 'completed', result: s });
    const progress = await h.temporal.workflow
      .getHandle(workflowId)
      .query<{ steps: { name: string; status: string }[] }>('progress');
    expect(progress.steps.find((st) => st.name === 'alert')!.status).toBe(
      s.status === 'HEALTHY' ? 'skipped' : 'completed',
    );
    // No ops event for a service that is up (UNHEALTHY is covered with fakes in tests/unit/maintenance-activities).
    expect(h.logLines.some((l) => l.msg === 'health report: service UNHEALTHY')).toBe(false);
  });
});
