import { jetstream } from '@nats-io/jetstream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskScheduleId } from '../../src/contracts/task-execution';
import { inboxMessages, taskExecutions } from '../../src/db/schema';
import { createLogger } from '../../src/logger';
import { SUBSCRIPTION_SUBJECT, startTaskSubscriptionConsumer } from '../../src/worker/tasks-subscriptions';
import { type Harness, eventually, startHarness } from '../support/harness';
import { matchingTimes } from '../support/schedule-times';
import { startOwnNats } from '../support/routines-nats';

/** Routines rules on the real stack: validation, limits, subscription.changed, DST, edit and delete in flight. */
let h: Harness;
let nats: Awaited<ReturnType<typeof startOwnNats>>;
let consumer: { stop(): Promise<void> };

beforeAll(async () => {
  nats = await startOwnNats();
  h = await startHarness({ env: { NATS_URL: nats.url } });
  consumer = startTaskSubscriptionConsumer({
    natsUrl: nats.url,
    database: h.database,
    temporal: h.temporal,
    logger: createLogger('warn'),
  });
}, 60_000);
afterAll(async () => {
  await consumer?.stop();
  await h?.stop();
  await nats?.stop();
});

const fromTemplate = (token: string, templateId: string, config: Record<string, unknown> = {}) =>
  h.call('POST', '/v1/tasks/from-template', { token, body: { templateId, config, timezone: 'Europe/Berlin' } });

async function announceLevel(userId: string, level: string, time: string) {
  const event = {
    specversion: '1.0',
    id: `subscription.changed:${userId}:${time}`,
    type: 'subscription.changed',
    source: 'billing',
    time,
    data: { userId, level },
  };
  await jetstream(nats.nc).publish(SUBSCRIPTION_SUBJECT, JSON.stringify(event));
}

describe('templates and validation', () => {
  it('lists the seeded templates with their schema, level and credits', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('GET', '/v1/task-templates', { token });
    expect(res.status).toBe(200);
    const ids = res.json.items.map((t: { id: string }) => t.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'drink-water',
        'meal-logging',
        'evening-journal',
        'weekly-weigh-in',
        'medication',
        'breathing',
      ]),
    );
    const med = res.json.items.find((t: { id: string }) => t.id === 'medication');
    expect(med).toMatchObject({ requiredLevel: 'plus', requiredFields: ['times'], creditsPerRun: 1 });
  });

  it('answers bad config with 422 naming the field, an unknown template with 404, and stores nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const bad = await fromTemplate(token, 'drink-water', { everyHours: 0, colour: 'red' });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('invalid_task_config');
    const paths = bad.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['config.everyHours', 'config']));
    expect(bad.json.error.message).toContain('unknown field colour');
    expect((await fromTemplate(token, 'no-such-template')).status).toBe(404);
    const longName = await h.call('POST', '/v1/tasks', { token, body: { name: 'x'.repeat(256), taskType: 'todo' } });
    expect(longName.status).toBe(422);
    expect((await h.call('GET', '/v1/tasks', { token })).json.items).toEqual([]);
    expect((await h.call('GET', '/v1/tasks/not-a-uuid', { token })).status).toBe(404);
  });
});

describe('listing and to-dos', () => {
  it('pages newest first with a cursor, filters by tag and type; a to-do has a one-shot reminder and completes', async () => {
    const token = await h.token(h.newUser());
    const make = (name: string, tags: string[], extra: Record<string, unknown> = {}) =>
      h.call('POST', '/v1/tasks', { token, body: { name, taskType: 'todo', tags, ...extra } });
    const a = (await make('Book dentist', ['health'])).json;
    const b = (await make('Buy bottle', ['shopping'])).json;
    const c = await make('Call back', ['health'], {
      dueAt: '2027-01-10T17:00:00Z',
      reminderAt: '2027-01-10T16:30:00Z',
    });
    expect(c.status, c.text).toBe(201);
    expect(c.json).toMatchObject({ reminderAt: '2027-01-10T16:30:00.000Z', nextRunAt: '2027-01-10T16:30:00.000Z' });
    expect(a.nextRunAt).toBeNull(); // no reminder: no schedule

    const page1 = await h.call('GET', '/v1/tasks?limit=2', { token });
    expect(page1.json.items.map((t: { id: string }) => t.id)).toEqual([c.json.id, b.id]);
    const page2 = await h.call('GET', `/v1/tasks?limit=2&cursor=${page1.json.nextCursor}`, { token });
    expect(page2.json.items.map((t: { id: string }) => t.id)).toEqual([a.id]);
    const health = await h.call('GET', '/v1/tasks?tag=health&type=todo', { token });
    expect(health.json.items.map((t: { id: string }) => t.id)).toEqual([c.json.id, a.id]);
    expect((await h.call('GET', '/v1/tasks?cursor=nonsense', { token })).status).toBe(422);

    const doneTodo = await h.call('PATCH', `/v1/tasks/${a.id}`, { token, body: { isCompleted: true } });
    expect(doneTodo.json.is_completed).toBe(true);
    expect(doneTodo.json.completed_at).not.toBeNull();
  });
});

describe('a task schedule follows the zone across daylight-saving changes', () => {
  it('08:00 Europe/Berlin stays 08:00 local on both sides of each change', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/tasks', {
      token,
      body: { name: 'Morning stretch', taskType: 'check_in', config: { times: ['08:00'] }, timezone: 'Europe/Berlin' },
    });
    expect(res.status, res.text).toBe(201);
    const id = taskScheduleId(res.json.id);
    // 2027: summer time starts Sunday 28 March and ends Sunday 31 October.
    expect(await matchingTimes(h, id, '2027-03-26T00:00:00Z', '2027-03-30T00:00:00Z')).toEqual([
      '2027-03-26T07:00:00.000Z',
      '2027-03-27T07:00:00.000Z',
      '2027-03-28T06:00:00.000Z',
      '2027-03-29T06:00:00.000Z',
    ]);
    expect(await matchingTimes(h, id, '2027-10-29T00:00:00Z', '2027-11-02T00:00:00Z')).toEqual([
      '2027-10-29T06:00:00.000Z',
      '2027-10-30T06:00:00.000Z',
      '2027-10-31T07:00:00.000Z',
      '2027-11-01T07:00:00.000Z',
    ]);
  });

  it('every 2 h from 08:00 to 22:00 is eight local times a day', async () => {
    const token = await h.token(h.newUser());
    const res = await fromTemplate(token, 'drink-water');
    expect(res.status, res.text).toBe(201);
    const times = await matchingTimes(h, taskScheduleId(res.json.id), '2027-03-28T00:00:00Z', '2027-03-29T00:00:00Z');
    expect(
      times.map((t) => new Date(t).toLocaleTimeString('en-GB', { timeZone: 'Europe/Berlin', hour12: false })),
    ).toEqual(['08:00:00', '10:00:00', '12:00:00', '14:00:00', '16:00:00', '18:00:00', '20:00:00', '22:00:00']);
  });
});

describe('limits and subscription.changed', () => {
  it('403 for a template above the level, 429 over the cap; a lower level pauses the newest, a higher one resumes', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const locked = await fromTemplate(token, 'medication', { times: ['09:00'] });
    expect(locked.status).toBe(403);
    expect(locked.json.error).toMatchObject({
      code: 'template_level_required',
      details: { limit: 'template_access', requiredLevel: 'plus', level: 'free' },
    });
    const ids: string[] = [];
    for (const t of ['drink-water', 'meal-logging', 'evening-journal'])
      ids.push((await fromTemplate(token, t)).json.id);
    const over = await fromTemplate(token, 'drink-water');
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({
      code: 'active_task_limit',
      details: { limit: 'active_tasks', cap: 3, level: 'free' },
    });

    await announceLevel(user, 'plus', '2026-11-30T10:00:00Z');
    const more = await eventually(async () => {
      const r = await fromTemplate(token, 'medication', { times: ['09:00'] });
      return r.status === 201 ? r : undefined;
    }, 30_000);
    ids.push(more.json.id, (await fromTemplate(token, 'weekly-weigh-in')).json.id);

    // Back to free: the two newest are paused by the cap (and their schedules with them).
    await announceLevel(user, 'free', '2026-11-30T11:00:00Z');
    const paused = await eventually(async () => {
      const r = await h.call('GET', '/v1/tasks?status=paused', { token });
      return r.json.items.length === 2 ? r.json.items : undefined;
    }, 30_000);
    expect(paused.map((t: { id: string }) => t.id).sort()).toEqual([ids[3], ids[4]].sort());
    expect(paused.every((t: { pausedReason: string }) => t.pausedReason === 'limit')).toBe(true);
    // The row is paused first and its schedule right after (same consumer step): wait for the schedule too.
    const schedulePaused = async (paused: boolean) =>
      eventually(async () => {
        const d = await h.temporal.schedule.getHandle(taskScheduleId(ids[4]!)).describe();
        return d.state.paused === paused ? true : undefined;
      }, 30_000);
    expect(await schedulePaused(true)).toBe(true);
    // An older announcement arriving late changes nothing.
    await announceLevel(user, 'pro', '2026-11-30T09:00:00Z');
    // Pro (newer): both come back.
    await announceLevel(user, 'pro', '2026-11-30T12:00:00Z');
    await eventually(async () => {
      const r = await h.call('GET', '/v1/tasks?status=active', { token });
      return r.json.items.length === 5;
    }, 30_000);
    expect(await schedulePaused(false)).toBe(true);
    await eventually(async () =>
      nats.received.some((e) => e.type === 'task.status_changed' && (e.data as { taskId: string }).taskId === ids[4]),
    );
  }, 120_000);
});

describe('runs in flight', () => {
  it('editing the schedule while a run waits keeps that one run; it is answered once', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const task = (await fromTemplate(token, 'evening-journal')).json;
    const run = await h.call('POST', `/v1/tasks/${task.id}/execute`, { token, headers: { 'Idempotency-Key': 'k1' } });
    expect(run.status).toBe(202);
    const again = await h.call('POST', `/v1/tasks/${task.id}/execute`, { token, headers: { 'Idempotency-Key': 'k1' } });
    expect(again.json).toMatchObject({ executionId: run.json.executionId, alreadyStarted: true });
    await eventually(async () => (await h.call('GET', '/v1/me/inbox', { token })).json.unreadCount === 1);

    const patched = await h.call('PATCH', `/v1/tasks/${task.id}`, { token, body: { config: { times: ['06:15'] } } });
    expect(patched.status, patched.text).toBe(200);
    const spec = (await h.temporal.schedule.getHandle(taskScheduleId(task.id)).describe()).spec;
    expect(spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6 }], minute: [{ start: 15, end: 15 }] });

    const done = await h.call('POST', `/v1/tasks/${task.id}/executions/${run.json.executionId}/answer`, {
      token,
      body: { action: 'done' },
    });
    expect(done.status, done.text).toBe(200);
    const list = await eventually(async () => {
      const r = await h.call('GET', `/v1/tasks/${task.id}/executions`, { token });
      return r.json.items[0]?.status === 'done' ? r.json.items : undefined;
    });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ trigger: 'manual', deliveries: 1 });
  }, 60_000);

  it('deleting the task ends a waiting run cleanly: cancelled, nothing delivered after, schedule gone', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const task = (await fromTemplate(token, 'drink-water')).json;
    const run = await h.call('POST', `/v1/tasks/${task.id}/execute`, { token });
    await eventually(async () => (await h.call('GET', '/v1/me/inbox', { token })).json.unreadCount === 1);
    expect((await h.call('DELETE', `/v1/tasks/${task.id}`, { token })).status).toBe(204);
    const result = await h.temporal.workflow.getHandle(run.json.workflowId).result();
    expect(result).toMatchObject({ outcome: 'cancelled', deliveries: 1 });
    const [row] = await h.database.db.select().from(taskExecutions).where(eq(taskExecutions.id, run.json.executionId));
    expect(row!.status).toBe('cancelled');
    expect(row!.credits).toBe(0);
    expect(await h.database.db.select().from(inboxMessages).where(eq(inboxMessages.taskId, task.id))).toHaveLength(1);
    expect((await h.call('GET', `/v1/tasks/${task.id}`, { token })).status).toBe(404);
    await expect(h.temporal.schedule.getHandle(taskScheduleId(task.id)).describe()).rejects.toThrow();
    // A run asked for after the delete does nothing at all.
    expect((await h.call('POST', `/v1/tasks/${task.id}/execute`, { token })).status).toBe(404);
  }, 60_000);
});

describe('no answer', () => {
  it('a run nobody answers within the window counts as missed (1-minute window)', async () => {
    const token = await h.token(h.newUser());
    const task = (
      await h.call('POST', '/v1/tasks', {
        token,
        body: { name: 'Stretch', taskType: 'check_in', config: { times: ['03:00'], windowMinutes: 1 } },
      })
    ).json;
    const run = await h.call('POST', `/v1/tasks/${task.id}/execute`, { token });
    const result = await h.temporal.workflow.getHandle(run.json.workflowId).result();
    expect(result).toMatchObject({ outcome: 'missed', deliveries: 1 });
    const after = (await h.call('GET', `/v1/tasks/${task.id}`, { token })).json;
    expect(after.counters).toMatchObject({ runs: 1, missed: 1, done: 0 });
    expect(after.streak.current).toBe(0);
  }, 120_000);
});

describe('GET /v1/workflow-types', () => {
  it('lists taskExecution with its policy table', async () => {
    const token = await h.token(h.newUser(), 'admin');
    const res = await h.call('GET', '/v1/workflow-types', { token });
    const t = res.json.items.find((i: { type: string }) => i.type === 'taskExecution');
    expect(t.steps.map((s: { name: string }) => s.name)).toEqual(['begin', 'deliver', 'push', 'finish', 'publish']);
    expect(t.steps.every((s: { reason: string }) => s.reason.length > 20)).toBe(true);
  });
});
