import { sql } from 'drizzle-orm';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDomainEvent } from '../../src/adapters/events/envelope-schema';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * Domain events end to end: the real API, workers, Temporal and PostgreSQL, and a REAL NATS subscription
 * (nats://127.0.0.1:4222, shared with other test files: every lookup filters by this test's user ids).
 */
const NATS_URL = 'nats://127.0.0.1:4222';
// From tests/integration/crisis-case.test.ts: the screener rates it `high`, which opens a case.
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';

let h: Harness;
let nc: NatsConnection;
const received: Msg[] = [];

beforeAll(async () => {
  // 5 s: the local server answers in milliseconds; longer means it is not running, and the test should say so.
  nc = await connect({ servers: '127.0.0.1:4222', timeout: 5_000, name: 'domain-events-test' });
  // Domain events and (to show they stay apart) the staff alerts on wellflow.crisis.<event>.
  nc.subscribe('wellflow.>', { callback: (err, msg) => void (err ?? received.push(msg)) });
  await nc.flush(); // registered before anything is published
  // CRISIS_TIME_SCALE 0.01: a high case's 5 min acknowledgement window becomes 3 s, so the ladder moves.
  h = await startHarness({ env: { NATS_URL, CRISIS_TIME_SCALE: '0.01' } });
});
afterAll(async () => {
  await h?.stop();
  await nc?.drain();
});

const json = (m: Msg) => {
  try {
    return m.json<any>();
  } catch {
    return undefined;
  }
};
/** Messages on `subject` whose data (or, for staff alerts, body) names `userId`. */
const on = (subject: string, userId: string) =>
  received.filter((m) => m.subject === subject && (json(m)?.data?.userId ?? json(m)?.userId) === userId);
const first = (subject: string, userId: string, ms = 30_000) => eventually(async () => on(subject, userId)[0], ms, 100);

describe('domain events on NATS', () => {
  it('wellflow.meal.analyzed: the envelope with the meal id and outcome, and none of its description', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const res = await h.call('POST', '/v1/meals', { token, body: { description: '2 eggs and toast' } });
    expect(res.status).toBe(202);
    const mealId = res.json.mealId as string;

    const msg = await first('wellflow.meal.analyzed', user);
    const event = parseDomainEvent(json(msg)); // strict: an unknown field anywhere throws
    expect(event).toMatchObject({
      specversion: '1.0',
      id: `meal.analyzed:${mealId}`,
      type: 'meal.analyzed',
      source: 'wellflow',
      subject: mealId,
    });
    expect(event.data).toEqual({ mealId, userId: user, outcome: 'completed' });
    expect(Date.parse(event.time)).toBeGreaterThan(Date.now() - 120_000);
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(event.id);
    expect(msg.string()).not.toMatch(/egg|toast|kcal|protein/i);

    const meal = await eventually(async () => {
      const m = (await h.call('GET', `/v1/meals/${mealId}`, { token })).json;
      return m.status === 'completed' ? m : undefined;
    });
    // Queued by the close step in the outcome's transaction (no publish step), timed at the close.
    expect(meal.steps.map((s: any) => s.name)).not.toContain('publish');
    expect(meal.steps.find((s: any) => s.name === 'close')).toMatchObject({ status: 'completed' });
    expect(on('wellflow.meals.analyzed', user)).toEqual([]); // the old subject is gone
  });

  it('wellflow.meal.analyzed also announces a meal that ends cancelled', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    // A photo without a description and no model server: the meal waits for input until it is cancelled.
    const sharp = (await import('sharp')).default;
    const form = new FormData();
    form.set(
      'image',
      new Blob(
        [
          new Uint8Array(
            await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c83' } })
              .jpeg()
              .toBuffer(),
          ),
        ],
        { type: 'image/jpeg' },
      ),
      'm.jpg',
    );
    const res = await h.call('POST', '/v1/meals', { token, form });
    await eventually(
      async () =>
        (await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token })).json.businessStatus === 'needs_input',
    );
    expect((await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token })).status).toBe(202);
    const event = parseDomainEvent(json(await first('wellflow.meal.analyzed', user)));
    expect(event.data).toEqual({ mealId: res.json.mealId, userId: user, outcome: 'cancelled' });
  });

  it('wellflow.insight.generated: insight id, week and meal count, once per computation', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const meal = await h.call('POST', '/v1/meals', { token, body: { description: 'a banana' } });
    await eventually(async () =>
      (await h.call('GET', `/v1/meals/${meal.json.mealId}`, { token })).json.status === 'completed' ? true : undefined,
    );

    const started = await h.call('POST', '/v1/insights/weekly', { token, body: { timezone: 'UTC' } });
    expect(started.status).toBe(202);
    const weekStart = started.json.weekStart as string;
    const msg = await first('wellflow.insight.generated', user);
    const event = parseDomainEvent(json(msg));
    const stored = (await h.call('GET', `/v1/insights/weekly?weekStart=${weekStart}`, { token })).json;
    expect(event.data).toEqual({ insightId: stored.insightId, userId: user, weekStart, mealCount: 1 });
    expect(event).toMatchObject({ type: 'insight.generated', subject: stored.insightId });
    expect(event.id).toBe(`insight.generated:${stored.insightId}:${event.time}`);
    expect(msg.headers?.get('Nats-Msg-Id')).toBe(event.id);
    expect(msg.string()).not.toMatch(/banana|kcal|fruit/i);

    const handle = h.temporal.workflow.getHandle(started.json.workflowId);
    expect(await handle.result()).toMatchObject({ insightId: stored.insightId, weekStart, meals: 1 });
    await nc.flush();
    // at-least-once: a redelivery would repeat the id, never add a second one
    expect(new Set(on('wellflow.insight.generated', user).map((m) => json(m).id))).toEqual(new Set([event.id]));
    const progress = await handle.query<{ steps: { name: string; status: string }[]; warnings: string[] }>('progress');
    expect(progress.steps.map((s) => [s.name, s.status])).toEqual([
      ['compute', 'completed'],
      ['publish', 'completed'],
    ]);
    expect(progress.warnings).toEqual([]);
  });

  it('wellflow.crisis.case.*: ids, tier, status and level only, apart from the staff alerts', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const entry = await h.call('POST', '/v1/journal-entries', { token, body: { text: HIGH_TEXT, mood: 2 } });
    expect(entry.status).toBe(202);

    const opened = parseDomainEvent(json(await first('wellflow.crisis.case.opened', user)));
    const caseId = opened.subject!;
    expect(opened.data).toEqual({ caseId, userId: user, tier: 'high', status: 'open', level: 0 });
    expect(opened.id).toMatch(new RegExp(`^crisis\\.case\\.opened:${caseId}:[0-9a-f-]+:\\d+$`));

    // The 3 s window passes unanswered: one level up.
    const escalated = parseDomainEvent(json(await first('wellflow.crisis.case.escalated', user)));
    expect(escalated.data).toEqual({ caseId, userId: user, tier: 'high', status: 'open', level: 1 });

    const staff = await h.token('nurse-events', 'staff');
    expect((await h.call('POST', `/v1/crisis/cases/${caseId}/acknowledge`, { token: staff })).status).toBe(200);
    const acked = parseDomainEvent(json(await first('wellflow.crisis.case.acknowledged', user)));
    expect(acked.data).toMatchObject({ caseId, status: 'acknowledged' });

    const mine = received.filter(
      (m) => m.subject.startsWith('wellflow.crisis.case.') && json(m)?.data?.userId === user,
    );
    for (const m of mine) {
      expect(m.headers?.get('Nats-Msg-Id')).toBe(json(m).id);
      expect(Object.keys(json(m).data).sort()).toEqual(['caseId', 'level', 'status', 'tier', 'userId']);
      expect(m.string()).not.toMatch(/kill|note|tonight|support-team|clinician|link|recipient/i);
    }
    expect(new Set(mine.map((m) => json(m).id)).size).toBe(mine.length); // one event per transition

    // The staff alert for the same opening is a different message on a different subject.
    const alert = await first('wellflow.crisis.opened', user);
    expect(json(alert)).toMatchObject({ event: 'case.opened', caseId, recipient: 'support-team' });
    expect(json(alert).specversion).toBeUndefined();
  });

  it('NATS unreachable from the worker: the insight run completes without a warning, its event queued in the outbox', async () => {
    // A second stack whose NATS_URL points at a closed port takes over the task queues.
    await h.stopWorkers();
    const down = await startHarness({ env: { NATS_URL: 'nats://127.0.0.1:9' } });
    try {
      const user = down.newUser();
      const token = await down.token(user);
      const started = await down.call('POST', '/v1/insights/weekly', { token, body: { timezone: 'UTC' } });
      const handle = down.temporal.workflow.getHandle(started.json.workflowId);
      const result = await handle.result();
      expect(
        (await down.call('GET', `/v1/insights/weekly?weekStart=${started.json.weekStart}`, { token })).json.insightId,
      ).toBe(result.insightId);
      const progress = await handle.query<{
        steps: { name: string; status: string; error?: string }[];
        warnings: string[];
      }>('progress');
      expect(progress.steps.find((s) => s.name === 'publish')).toMatchObject({ status: 'completed' });
      expect(progress.warnings).toEqual([]);
      // Queued once; this file's first stack (whose relay reaches NATS) delivers it.
      const rows = await down.database.db.execute(
        sql`select id from app.event_outbox where id like ${`insight.generated:${result.insightId}:%`}`,
      );
      expect(rows).toHaveLength(1);
      await first('wellflow.insight.generated', user);
    } finally {
      await down.stop();
      await h.startWorkers();
    }
  }, 90_000);
});
