import { execFileSync } from 'node:child_process';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DEFAULT_SCHEDULES, type ScheduleDeclaration } from '../../src/temporal/schedules/declared';
import { MANAGED_MEMO, syncSchedules } from '../../src/temporal/schedules/sync';
import { type Harness, eventually, startHarness } from '../support/harness';
import { seedAnalysedMeals } from '../support/seed-meals';

/** System schedules on a real dev server: declarative sync, the admin API, trigger and backfill running real workflows. */
let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.token('ops-admin', 'admin');
});
afterAll(async () => {
  // Schedules outlive a test file on the shared dev server: remove every one this file made.
  for await (const s of h.temporal.schedule.list())
    await h.temporal.schedule
      .getHandle(s.scheduleId)
      .delete()
      .catch(() => {});
  await h?.stop();
});

const ids = DEFAULT_SCHEDULES.map((d) => d.id).sort();

describe('declarative schedule sync', () => {
  it('creates the declared schedules, changes nothing the second time, updates what differs and deletes what is no longer declared', async () => {
    const first = await syncSchedules(h.temporal, DEFAULT_SCHEDULES);
    expect([...first.created].sort()).toEqual(ids);
    const second = await syncSchedules(h.temporal, DEFAULT_SCHEDULES);
    expect(second).toEqual({ created: [], updated: [], deleted: [], unchanged: DEFAULT_SCHEDULES.map((d) => d.id) });

    // An operator's pause survives an update of the declaration.
    await h.temporal.schedule.getHandle('maintenance-cleanup').pause('investigating');
    const changed: ScheduleDeclaration[] = DEFAULT_SCHEDULES.map((d) =>
      d.id === 'maintenance-cleanup' ? { ...d, cron: '47 * * * *' } : d,
    );
    const extra: ScheduleDeclaration = { ...DEFAULT_SCHEDULES[1]!, id: 'retired-job' };
    // A schedule sync did not create (a person's own) is never touched.
    await h.temporal.schedule.create({
      scheduleId: 'insights-user-sync-bystander',
      spec: { cronExpressions: ['0 8 * * 1'] },
      action: {
        type: 'startWorkflow',
        workflowType: 'weeklyInsight',
        args: [{ userId: 'sync-bystander', timezone: 'UTC' }],
        taskQueue: 'default',
      },
      state: { paused: true },
    });
    const third = await syncSchedules(h.temporal, [...changed, extra]);
    expect(third.updated).toEqual(['maintenance-cleanup']);
    expect(third.created).toEqual(['retired-job']);
    const cleanup = await h.temporal.schedule.getHandle('maintenance-cleanup').describe();
    expect(cleanup.state.paused).toBe(true);
    expect(cleanup.spec.calendars?.[0]?.minute?.[0]?.start).toBe(47);

    const fourth = await syncSchedules(h.temporal, DEFAULT_SCHEDULES);
    expect(fourth.updated).toEqual(['maintenance-cleanup']);
    const exists = (id: string) =>
      h.temporal.schedule
        .getHandle(id)
        .describe()
        .then(
          () => true,
          () => false,
        );
    // The list that finds retired schedules is eventually consistent: a sync right after a create may not see it yet.
    await eventually(async () => {
      if (await exists('retired-job')) await syncSchedules(h.temporal, DEFAULT_SCHEDULES);
      return !(await exists('retired-job'));
    });
    await expect(h.temporal.schedule.getHandle('retired-job').describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await h.temporal.schedule.getHandle('insights-user-sync-bystander').describe()).memo?.managedBy).not.toBe(
      MANAGED_MEMO.managedBy,
    );
    await h.temporal.schedule.getHandle('maintenance-cleanup').unpause();

    // `wellflow schedules sync`, as an operator runs it: nothing left to change.
    const cli = execFileSync(process.execPath, ['bin/wellflow.js', 'schedules', 'sync'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        WELLFLOW_ENCRYPTION_KEY: h.config.WELLFLOW_ENCRYPTION_KEY,
        JWT_SECRET: h.config.JWT_SECRET,
        WELLFLOW_DATA_DIR: h.config.dataDir,
        LOG_LEVEL: 'silent',
      },
    });
    expect(cli).toMatch(/^created\s+-$/m);
    expect(cli).toMatch(/^updated\s+-$/m);
    expect(cli).toMatch(/^deleted\s+-$/m);
    for (const id of ids) expect(cli).toContain(id);

    // The Temporal CLI shows every declared schedule.
    const listed = await eventually(async () => {
      const out = execFileSync(
        inject('temporalCli'),
        ['schedule', 'list', '--address', inject('temporalAddress'), '-o', 'json'],
        { encoding: 'utf8' },
      );
      const found = (JSON.parse(out) as { scheduleId: string }[]).map((s) => s.scheduleId);
      return ids.every((id) => found.includes(id)) ? found : undefined;
    });
    expect(listed).toEqual(expect.arrayContaining(ids));
  });
});

describe('schedule admin API', () => {
  it('lists and describes the declared schedules for admins only', async () => {
    const user = await h.token(h.newUser());
    expect((await h.call('GET', '/v1/schedules', { token: user })).status).toBe(403);
    const list = await h.call('GET', '/v1/schedules', { token: admin });
    expect(list.status).toBe(200);
    expect(list.json.items.map((s: { scheduleId: string }) => s.scheduleId).sort()).toEqual(ids);
    const one = await h.call('GET', '/v1/schedules/weekly-insights', { token: admin });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      scheduleId: 'weekly-insights',
      workflowType: 'weeklyInsightsAll',
      spec: { timezone: 'UTC', calendar: { dayOfWeek: 'MONDAY', hour: 12 } },
      policies: { overlap: 'SKIP' },
    });
    expect(one.json.nextRuns.length).toBeGreaterThan(0);
    for (const t of one.json.nextRuns) expect(new Date(t).getUTCDay()).toBe(1);
    const missing = await h.call('GET', '/v1/schedules/no-such-schedule', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.json.error.category).toBe('not_found');
  });

  it('pauses and unpauses with a note', async () => {
    const paused = await h.call('POST', '/v1/schedules/maintenance-database/pause', {
      token: admin,
      body: { note: 'disk migration' },
    });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ paused: true, note: 'disk migration' });
    const resumed = await h.call('POST', '/v1/schedules/maintenance-database/unpause', { token: admin });
    expect(resumed.json.paused).toBe(false);
    expect((await h.call('POST', '/v1/schedules/nope/pause', { token: admin })).status).toBe(404);
  });

  it('trigger starts a real run of the job', async () => {
    const res = await h.call('POST', '/v1/schedules/maintenance-health-report/trigger', { token: admin });
    expect(res.status).toBe(202);
    const run = await eventually(async () => {
      const d = (await h.call('GET', '/v1/schedules/maintenance-health-report', { token: admin })).json;
      return d.recentRuns[0];
    });
    expect(run.workflowId).toMatch(/^maintenance-health-report-/);
    const result = await h.temporal.workflow.getHandle(run.workflowId).result();
    expect(result).toBeTruthy();
  });

  it('rejects a bad backfill range and changes nothing', async () => {
    const before = (await h.call('GET', '/v1/schedules/maintenance-cleanup', { token: admin })).json.actionsTaken;
    const backwards = await h.call('POST', '/v1/schedules/maintenance-cleanup/backfill', {
      token: admin,
      body: { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' },
    });
    expect(backwards.status).toBe(422);
    expect(backwards.json.error.category).toBe('validation');
    const tooLong = await h.call('POST', '/v1/schedules/maintenance-cleanup/backfill', {
      token: admin,
      body: { start: '2024-01-01T00:00:00Z', end: '2025-06-01T00:00:00Z' },
    });
    expect(tooLong.status).toBe(422);
    const notInstant = await h.call('POST', '/v1/schedules/maintenance-cleanup/backfill', {
      token: admin,
      body: { start: 'yesterday', end: '2025-06-01T00:00:00Z' },
    });
    expect(notInstant.status).toBe(422);
    expect(
      (
        await h.call('POST', '/v1/schedules/nope/backfill', {
          token: admin,
          body: { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' },
        })
      ).status,
    ).toBe(404);
    expect((await h.call('GET', '/v1/schedules/maintenance-cleanup', { token: admin })).json.actionsTaken).toBe(before);
  });

  it('backfills the weekly fan-out: each run covers the week before its nominal time', async () => {
    // A week no other test uses: the fan-out covers everyone with meals in it.
    const people = [h.newUser(), h.newUser(), h.newUser()];
    await seedAnalysedMeals(
      h.database,
      people.flatMap((userId, i) => [
        { userId, eatenAt: '2025-03-04T12:00:00Z', kcal: 500 + i },
        { userId, eatenAt: '2025-03-08T19:00:00Z', kcal: 700 },
      ]),
    );
    // Monday 2025-03-10 12:00 UTC is the one scheduled time in this range: it covers the week of 2025-03-03.
    const res = await h.call('POST', '/v1/schedules/weekly-insights/backfill', {
      token: admin,
      body: { start: '2025-03-10T00:00:00Z', end: '2025-03-11T00:00:00Z' },
    });
    expect(res.status).toBe(202);
    for (const [i, userId] of people.entries()) {
      const insight = await eventually(
        async () => {
          const r = await h.call('GET', '/v1/insights/weekly?weekStart=2025-03-03', { token: await h.token(userId) });
          return r.status === 200 ? r.json : undefined;
        },
        60_000,
        500,
      );
      expect(insight.mealCount).toBe(2);
      expect(insight.days[1].totals.kcal).toBe(500 + i);
    }
  });
});

describe('maintenance on demand', () => {
  it('runs a named job for admins and answers unknown jobs with 404', async () => {
    expect((await h.call('POST', '/v1/maintenance/health-report', { token: await h.token(h.newUser()) })).status).toBe(
      403,
    );
    const unknown = await h.call('POST', '/v1/maintenance/defrag', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('job_not_found');
    const res = await h.call('POST', '/v1/maintenance/health-report', { token: admin });
    expect(res.status).toBe(202);
    expect(res.json.workflowId).toBe('maintenance-health-report-manual');
    const out = await h.temporal.workflow.getHandle(res.json.workflowId, res.json.runId).result();
    expect(out).toBeTruthy();
  });
});
