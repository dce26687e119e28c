import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { taskScheduleId } from '../../src/contracts/task-execution';
import { type Harness, eventually, startHarness } from '../support/harness';
import { startOwnNats } from '../support/routines-nats';

/**
 * The "Done means" path on the real stack: a task from a template fires on time in the person's zone
 * (a calendar time one or two minutes ahead, in Asia/Kathmandu, UTC+5:45), the reminder lands in the inbox,
 * a snooze (3 s here: TASK_SNOOZE_SECONDS) brings it back, done records the run and the streak, the history
 * and analytics show it, and the events are on NATS.
 */
let h: Harness;
let nats: Awaited<ReturnType<typeof startOwnNats>>;
const ZONE = 'Asia/Kathmandu';

beforeAll(async () => {
  nats = await startOwnNats();
  h = await startHarness({ env: { NATS_URL: nats.url, TASK_SNOOZE_SECONDS: '3' } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await nats?.stop();
});

/** HH:MM in `zone` of an instant. */
function localHhmm(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

describe('a routine from a template, end to end', () => {
  it('fires in the zone, lands in the inbox, snoozes, comes back, is done, counts, shows, and is announced', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    // The next whole minute at least 20 s away: the schedule's first occurrence.
    const now = Date.now();
    let fireAt = Math.ceil(now / 60_000) * 60_000;
    if (fireAt - now < 20_000) fireAt += 60_000;
    const time = localHhmm(fireAt, ZONE);

    const created = await h.call('POST', '/v1/tasks/from-template', {
      token,
      body: { templateId: 'evening-journal', config: { times: [time] }, timezone: ZONE, tags: ['evening'] },
    });
    expect(created.status, created.text).toBe(201);
    const task = created.json;
    expect(task).toMatchObject({
      templateId: 'evening-journal',
      taskType: 'check_in',
      timezone: ZONE,
      status: 'active',
      config: { times: [time], windowMinutes: 120 }, // the template's default window under the person's times
      tags: ['evening'],
    });
    expect(task.nextRunAt).toBe(new Date(fireAt).toISOString());

    // The schedule fires: one execution, scheduled for that minute, and a reminder in the inbox.
    const inbox1 = await eventually(async () => {
      const r = await h.call('GET', '/v1/me/inbox', { token });
      return r.json.unreadCount === 1 ? r.json : undefined;
    }, 150_000);
    expect(inbox1.items[0]).toMatchObject({ kind: 'reminder', taskId: task.id, title: 'Reminder' });
    expect(inbox1.items[0].body).not.toContain('journal entry text');
    const executionId: string = inbox1.items[0].executionId;
    expect(executionId.startsWith(`${taskScheduleId(task.id)}-`)).toBe(true);
    const exec1 = await h.call('GET', `/v1/tasks/${task.id}/executions`, { token });
    expect(exec1.json.items).toHaveLength(1);
    expect(exec1.json.items[0]).toMatchObject({
      executionId,
      trigger: 'scheduled',
      status: 'waiting',
      scheduledFor: new Date(fireAt).toISOString(),
    });

    // The occurrence is past: the task shows the next one (the same local time tomorrow; Kathmandu has no DST).
    const fired = await h.call('GET', `/v1/tasks/${task.id}`, { token });
    expect(fired.json.nextRunAt).toBe(new Date(fireAt + 86_400_000).toISOString());

    // Snooze: accepted once; a second answer while snoozed is refused; the reminder comes back.
    const answer = (action: string) =>
      h.call('POST', `/v1/tasks/${task.id}/executions/${executionId}/answer`, { token, body: { action } });
    const snoozed = await answer('snooze');
    expect(snoozed.status, snoozed.text).toBe(200);
    expect(snoozed.json.action).toBe('snooze');
    expect(Date.parse(snoozed.json.snoozedUntil)).toBeGreaterThan(Date.now() - 1000);
    const early = await answer('done');
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('execution_not_waiting');
    const inbox2 = await eventually(async () => {
      const r = await h.call('GET', '/v1/me/inbox', { token });
      return r.json.items.length === 2 ? r.json : undefined;
    }, 60_000);
    expect(inbox2.items[0]).toMatchObject({ executionId, title: 'Reminder (snoozed)' });

    // Done: recorded once, counted, streak 1.
    const done = await eventually(async () => {
      const r = await answer('done');
      return r.status === 200 ? r : undefined;
    }, 20_000);
    expect(done.json).toMatchObject({ executionId, action: 'done' });
    const finished = await eventually(async () => {
      const r = await h.call('GET', `/v1/tasks/${task.id}/executions`, { token });
      return r.json.items[0]?.status === 'done' ? r.json.items[0] : undefined;
    }, 30_000);
    expect(finished).toMatchObject({ deliveries: 2, credits: 1 });
    expect(finished.durationMs).toBeGreaterThan(0);
    expect((await answer('skip')).status).toBe(409);

    const after = (await h.call('GET', `/v1/tasks/${task.id}`, { token })).json;
    expect(after.counters).toMatchObject({ runs: 1, done: 1, skipped: 0, missed: 0, creditsUsed: 1 });
    expect(after.streak).toMatchObject({ current: 1, best: 1 });
    expect(after.lastRunAt).not.toBeNull();

    // Analytics: in the profile's zone (UTC here, as the person set none), one done run.
    const analytics = await h.call('GET', '/v1/tasks/analytics?days=30', { token });
    expect(analytics.status).toBe(200);
    expect(analytics.json.executions).toMatchObject({ total: 1, successRate: 1, creditsConsumed: 1 });
    expect(analytics.json.executions.byStatus).toEqual([{ key: 'done', count: 1 }]);
    expect(analytics.json.tasks.byType).toEqual([{ key: 'check_in', count: 1 }]);
    expect(analytics.json.busiestHours[0].count).toBe(1);
    expect(analytics.json.streaks).toEqual({ current: 1, best: 1 });

    // Mark read.
    const read = await h.call('POST', '/v1/me/inbox/read', { token, body: {} });
    expect(read.json).toEqual({ marked: 2, unreadCount: 0 });

    // Events on NATS (through the outbox relay): ids only, strictly valid envelopes.
    const ours = await eventually(async () => {
      const mine = nats.received.filter((e) => (e.data as { taskId?: string }).taskId === task.id);
      return mine.some((e) => e.type === 'task.executed') && mine.some((e) => e.type === 'task.created')
        ? mine
        : undefined;
    }, 30_000);
    for (const e of ours) parseDomainEvent(e);
    expect(ours.find((e) => e.type === 'task.executed')!.data).toEqual({
      taskId: task.id,
      userId: user,
      executionId,
      outcome: 'done',
      trigger: 'scheduled',
    });
  }, 240_000);
});
