import { Writable } from 'node:stream';
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { describe, expect, it } from 'vitest';
import { createMaintenanceActivities, UNHEALTHY_SUBJECT } from '../../src/activities/maintenance';
import type { EventPublisher } from '../../src/adapters/events/publisher';
import type { DomainEnvelope } from '../../src/adapters/events/schema';
import { createImageStore } from '../../src/adapters/images/store';
import type { CheckResult, HealthStatus } from '../../src/domain/health';
import type { HealthChecker } from '../../src/observability/health-checks';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';

/**
 * The health-report activities with a fake health checker and a fake event publisher: the UNHEALTHY path
 * cannot be produced cleanly against the real stack. The activity context is a minimal stand-in holding what
 * the activities read (run id, heartbeat, cancellation signal).
 */
const RUN = { workflowId: 'maintenance-health-test', runId: 'run-0001' };

function inActivity<T>(
  activityType: string,
  fn: () => Promise<T>,
  workflowExecution: typeof RUN | null = RUN,
): Promise<T> {
  const ctx = {
    info: {
      activityType,
      attempt: 1,
      workflowExecution: workflowExecution ?? undefined,
      heartbeatDetails: undefined,
      scheduledTimestampMs: Date.parse('2026-11-23T10:15:00Z'),
    },
    heartbeat: () => {},
    cancellationSignal: new AbortController().signal,
  } as unknown as Context;
  return asyncLocalStorage.run(ctx, fn);
}

function setup(status: HealthStatus, checks: Record<string, CheckResult['status']>) {
  const published: { subject: string; event: DomainEnvelope }[] = [];
  const events: EventPublisher = {
    kind: 'log',
    async publish(subject, event) {
      published.push({ subject, event });
    },
    async close() {},
  };
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const health = {
    async runAll() {
      const all = Object.fromEntries(
        Object.entries(checks).map(([name, s]) => [name, { status: s, latency_ms: 2, detail: `${name} is ${s}` }]),
      );
      return { status, checks: all } as Awaited<ReturnType<HealthChecker['runAll']>>;
    },
  };
  const config = loadConfig({ WELLFLOW_DATA_DIR: '/nonexistent-wellflow-test' });
  const acts = createMaintenanceActivities({
    config,
    database: {} as Database, // not touched by the health activities
    images: createImageStore(config.dataDir),
    temporal: {} as Client,
    events,
    health,
    logger: pino({ level: 'info' }, sink),
  });
  const report = () => inActivity('runHealthReport', () => acts.runHealthReport());
  const alert = (s: HealthStatus, failing: string[]) =>
    inActivity('alertOnHealth', () => acts.alertOnHealth({ status: s, failing }));
  return { acts, published, lines, report, alert };
}

describe('health-report activities', () => {
  it('UNHEALTHY: one ops event with ids and statuses only, and an error log', async () => {
    const t = setup('UNHEALTHY', { database: 'UNHEALTHY', temporal: 'HEALTHY', workers: 'DEGRADED', disk: 'HEALTHY' });
    const report = await t.report();
    expect(report.status).toBe('UNHEALTHY');
    expect(report.failing).toEqual(['database', 'workers']);
    expect(report.checks.database!.detail).toBe('database is UNHEALTHY');

    expect(await t.alert(report.status, report.failing)).toBe('event');
    // The common CloudEvents envelope (docs/events.md), strictly valid; the run is the fact key.
    expect(t.published).toHaveLength(1);
    expect(t.published[0]!.subject).toBe(UNHEALTHY_SUBJECT);
    expect(parseDomainEvent(t.published[0]!.event)).toEqual({
      specversion: '1.0',
      id: 'ops.unhealthy:run-0001',
      type: 'ops.unhealthy',
      source: 'wellflow',
      time: '2026-11-23T10:15:00.000Z',
      data: { runId: 'run-0001', status: 'UNHEALTHY', failing: 'database,workers' },
    });
    expect(UNHEALTHY_SUBJECT).toBe('wellflow.ops.unhealthy');
    const errors = t.lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      status: 'UNHEALTHY',
      failing: 'database,workers',
      runId: 'run-0001',
      workflowId: 'maintenance-health-test',
    });
    // The event is ids/statuses only: no check details travel.
    expect(JSON.stringify(t.published)).not.toContain('is UNHEALTHY');
  });

  it('DEGRADED: a warning in the log, no event', async () => {
    const t = setup('DEGRADED', { database: 'HEALTHY', memory: 'DEGRADED' });
    const report = await t.report();
    expect(report.failing).toEqual(['memory']);
    expect(await t.alert(report.status, report.failing)).toBe('warn');
    expect(t.published).toEqual([]);
    expect(t.lines.filter((l) => l.level === 40)).toHaveLength(1);
    expect(t.lines.filter((l) => (l.level as number) >= 50)).toHaveLength(0);
  });

  it('HEALTHY: nothing published or logged above info', async () => {
    const t = setup('HEALTHY', { database: 'HEALTHY' });
    const report = await t.report();
    expect(report).toEqual({
      status: 'HEALTHY',
      failing: [],
      checks: { database: { status: 'HEALTHY', latency_ms: 2, detail: 'database is HEALTHY' } },
    });
    expect(await t.alert('HEALTHY', [])).toBe('none');
    expect(t.published).toEqual([]);
    expect(t.lines.filter((l) => (l.level as number) >= 40)).toHaveLength(0);
  });

  it('refuses to run outside a workflow (no run id to record against)', async () => {
    const t = setup('UNHEALTHY', { database: 'UNHEALTHY' });
    const outside = inActivity(
      'alertOnHealth',
      () => t.acts.alertOnHealth({ status: 'UNHEALTHY', failing: ['database'] }),
      null,
    );
    await expect(outside).rejects.toThrow(/only inside a workflow/);
    expect(t.published).toEqual([]);
  });
});
