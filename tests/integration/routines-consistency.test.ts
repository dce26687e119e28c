import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDomainEvent } from '../../src/adapters/events/outbox';
import { buildDomainEvent } from '../../src/adapters/events/schema';
import { taskScheduleId } from '../../src/contracts/task-execution';
import { nextOccurrence, recurringPlan, type TaskSchedulePlan } from '../../src/domain/routines';
import { deleteTaskSchedule, upsertTaskSchedule } from '../../src/temporal/schedules/tasks';
import { type Harness, eventually, startHarness } from '../support/harness';
import { matchingTimes } from '../support/schedule-times';

/**
 * Routines consistency on the real stack (issue 15's gaps): the active-task cap under concurrent creates and
 * resumes, task events committed with their rows, Idempotency-Key on create, and nextRunAt kept true (the
 * pure rule against Temporal's own evaluation of the same calendar, across DST).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const fromTemplate = (token: string, templateId = 'drink-water', headers: Record<string, string> = {}) =>
  h.call('POST', '/v1/tasks/from-template', { token, headers, body: { templateId, config: {}, timezone: 'UTC' } });

/** The outbox rows of one task, by event type (ids `task.<kind>:<taskId>:<updatedAt ms>`). */
async function taskEvents(taskId: string): Promise<string[]> {
  const rows = await h.database.sql<{ id: string }[]>`
    select id from app.event_outbox where id like ${`task.%:${taskId}:%`} order by created_at, id`;
  return rows.map((r) => r.id.split(':')[0]!);
}

describe('the active-task cap under concurrency', () => {
  it('N concurrent creates at cap - 1: exactly one is created, the rest are 429 naming the limit', async () => {
    const token = await h.token(h.newUser());
    for (let i = 0; i < 2; i++) expect((await fromTemplate(token)).status).toBe(201); // free: cap 3
    const results = await Promise.all(Array.from({ length: 6 }, () => fromTemplate(token)));
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 429);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(5);
    for (const r of refused)
      expect(r.json.error).toMatchObject({
        category: 'rate_limited',
        code: 'active_task_limit',
        details: { limit: 'active_tasks', level: 'free', cap: 3, active: 3 },
      });
    const active = await h.call('GET', '/v1/tasks?status=active', { token });
    expect(active.json.items).toHaveLength(3);
    // A refused create stored nothing, not even its event: one task.created per task there is.
    for (const t of active.json.items) expect(await taskEvents(t.id)).toEqual(['task.created']);
  });

  it('concurrent resumes at cap - 1: one resumes, the other is 429 and stays paused', async () => {
    const token = await h.token(h.newUser());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fromTemplate(token)).json.id);
    for (const id of ids.slice(1)) expect((await h.call('POST', `/v1/tasks/${id}/pause`, { token })).status).toBe(200);
    expect((await fromTemplate(token)).status).toBe(201); // 2 active of 3
    const results = await Promise.all(ids.slice(1).map((id) => h.call('POST', `/v1/tasks/${id}/resume`, { token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 429]);
    expect(results.find((r) => r.status === 429)!.json.error.details).toMatchObject({ limit: 'active_tasks' });
    expect((await h.call('GET', '/v1/tasks?status=active', { token })).json.items).toHaveLength(3);
  });
});

describe('task events are written with their rows', () => {
  it('create, edit, pause, resume and delete each queue their event in the outbox, keyed by the row version', async () => {
    const token = await h.token(h.newUser());
    const created = await fromTemplate(token);
    const id: string = created.json.id;
    await h.call('PATCH', `/v1/tasks/${id}`, { token, body: { name: 'Water, please' } });
    await h.call('POST', `/v1/tasks/${id}/pause`, { token });
    await h.call('POST', `/v1/tasks/${id}/pause`, { token }); // already paused: no second event
    await h.call('POST', `/v1/tasks/${id}/resume`, { token });
    expect((await h.call('DELETE', `/v1/tasks/${id}`, { token })).status).toBe(204);
    expect(await taskEvents(id)).toEqual([
      'task.created',
      'task.updated',
      'task.status_changed',
      'task.status_changed',
      'task.deleted',
    ]);
    const [deleted] = await h.database.sql<{ body: string }[]>`
      select body from app.event_outbox where id like ${`task.deleted:${id}:%`}`;
    expect(JSON.parse(deleted!.body)).toMatchObject({ type: 'task.deleted', data: { taskId: id, status: 'deleted' } });
    expect(deleted!.body).not.toContain('Water, please'); // ids and status only
  });

  it('an event queued in a transaction that rolls back is not stored; one that commits is', async () => {
    const event = (taskId: string) =>
      buildDomainEvent(
        'task.updated',
        { taskId, userId: 'u-tx', status: 'active' },
        { key: `${taskId}:1`, time: new Date().toISOString() },
      );
    const [lost, kept] = [randomUUID(), randomUUID()];
    await expect(
      h.database.db.transaction(async (tx) => {
        await queueDomainEvent(tx, event(lost));
        throw new Error('the row change failed');
      }),
    ).rejects.toThrow('the row change failed');
    await h.database.db.transaction((tx) => queueDomainEvent(tx, event(kept)));
    expect(await taskEvents(lost)).toEqual([]);
    expect(await taskEvents(kept)).toEqual(['task.updated']);
  });
});

describe('Idempotency-Key on task create', () => {
  it('the same key and body is the same task (one row, one schedule, one event); another body is a 409', async () => {
    const token = await h.token(h.newUser());
    const key = { 'Idempotency-Key': `create-${randomUUID()}` };
    const first = await fromTemplate(token, 'drink-water', key);
    const again = await fromTemplate(token, 'drink-water', key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect((await h.call('GET', '/v1/tasks', { token })).json.items).toHaveLength(1);
    expect(await taskEvents(first.json.id)).toEqual(['task.created']);
    expect((await h.temporal.schedule.getHandle(taskScheduleId(first.json.id)).describe()).scheduleId).toBe(
      taskScheduleId(first.json.id),
    );
    const other = await fromTemplate(token, 'meal-logging', key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('idempotency_key_reused');
  });

  it('concurrent requests with one key create one task; POST /v1/tasks takes the key too', async () => {
    const token = await h.token(h.newUser());
    const headers = { 'Idempotency-Key': `todo-${randomUUID()}` };
    const body = { name: 'Call back', taskType: 'todo', config: {}, tags: [] };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => h.call('POST', '/v1/tasks', { token, headers, body })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.json.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.json.error.code).toBe('idempotency_in_progress');
    expect((await h.call('GET', '/v1/tasks', { token })).json.items).toHaveLength(1);
  });
});

describe('nextRunAt', () => {
  /** Every occurrence in (from, to) by the pure rule, one nextOccurrence after another (as Temporal lists them). */
  function occurrences(plan: TaskSchedulePlan, from: string, to: string): string[] {
    const out: string[] = [];
    let t = nextOccurrence(plan, Date.parse(from));
    while (t !== undefined && t < Date.parse(to)) {
      out.push(new Date(t).toISOString());
      t = nextOccurrence(plan, t);
    }
    return out;
  }

  it.each([
    [
      'daily 08:00 and 02:30, Berlin spring',
      { times: ['08:00', '02:30'] },
      'Europe/Berlin',
      '2027-03-26',
      '2027-03-30',
    ],
    [
      'daily 08:00 and 02:30, Berlin autumn',
      { times: ['08:00', '02:30'] },
      'Europe/Berlin',
      '2027-10-29',
      '2027-11-02',
    ],
    [
      'every 2 h 01:00-23:00, New York spring',
      { everyHours: 2, from: '01:00', to: '23:00' },
      'America/New_York',
      '2027-03-13',
      '2027-03-16',
    ],
    [
      'every 3 h, Sundays, New York autumn',
      { everyHours: 3, from: '01:30', to: '22:30', daysOfWeek: ['sunday'] },
      'America/New_York',
      '2027-10-30',
      '2027-11-15',
    ],
    [
      'weekly weigh-in, Sydney autumn',
      { times: ['07:15'], daysOfWeek: ['monday', 'sunday'] },
      'Australia/Sydney',
      '2027-03-25',
      '2027-04-20',
    ],
  ])('%s: the rule gives the times Temporal computes for the same calendar', async (_, timing, zone, from, to) => {
    const plan = recurringPlan(timing as never, zone)!;
    const taskId = randomUUID();
    await upsertTaskSchedule(h.temporal, { userId: 'u-next-run', taskId, plan, paused: true });
    try {
      const start = `${from}T00:00:00Z`;
      const end = `${to}T00:00:00Z`;
      const temporal = await matchingTimes(h, taskScheduleId(taskId), start, end);
      expect(temporal.length).toBeGreaterThan(3);
      expect(occurrences(plan, start, end)).toEqual(temporal);
    } finally {
      await deleteTaskSchedule(h.temporal, taskId);
    }
  });

  it('follows pause, resume, an edit and the start of a run', async () => {
    const token = await h.token(h.newUser());
    const created = await h.call('POST', '/v1/tasks', {
      token,
      body: { name: 'Stretch', taskType: 'reminder', config: { times: ['09:00'] }, tags: [], timezone: 'Asia/Tokyo' },
    });
    expect(created.status, created.text).toBe(201);
    const id: string = created.json.id;
    const expected = (times: string[], zone = 'Asia/Tokyo') =>
      new Date(nextOccurrence(recurringPlan({ times }, zone)!, Date.now())!).toISOString();
    expect(created.json.nextRunAt).toBe(expected(['09:00']));
    expect((await h.call('POST', `/v1/tasks/${id}/pause`, { token })).json.nextRunAt).toBeNull();
    expect((await h.call('POST', `/v1/tasks/${id}/resume`, { token })).json.nextRunAt).toBe(expected(['09:00']));
    const edited = await h.call('PATCH', `/v1/tasks/${id}`, { token, body: { config: { times: ['21:45'] } } });
    expect(edited.json.nextRunAt).toBe(expected(['21:45']));
    // A stale value (as after an occurrence) is put right when a run begins.
    await h.database.db.execute(sql`update app.tasks set next_run_at = '2000-01-01T00:00:00Z' where id = ${id}`);
    expect((await h.call('POST', `/v1/tasks/${id}/execute`, { token })).status).toBe(202);
    await eventually(async () => {
      const t = await h.call('GET', `/v1/tasks/${id}`, { token });
      return t.json.nextRunAt === expected(['21:45']);
    }, 30_000);
  });
});
