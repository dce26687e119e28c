import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMINDER_FIELDS, REMINDER_SUBJECT } from '../../src/adapters/notify/reminders';
import { taskProgressQuery } from '../../src/contracts/task-execution';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { type Harness, eventually, startHarness } from '../support/harness';
import { startOwnNats } from '../support/routines-nats';

/**
 * Reminders reach the person's devices too (docs/routines.md, "Channels"): the push gateway's signed webhook
 * and NATS (`wellflow.reminder.due`), both local servers speaking the real protocols. Ids and the category's
 * fixed wording only: the task's name (here a medication) never leaves the database.
 */
let h: Harness;
let nats: Awaited<ReturnType<typeof startOwnNats>>;
let gateway: FakeWebhookReceiver;
const onNats: Record<string, unknown>[] = [];
const SECRET = 'reminder-gateway-secret-0123456789';
const HEALTH_NAME = 'Metformin 500 mg after dinner';

beforeAll(async () => {
  nats = await startOwnNats();
  gateway = await startFakeWebhookReceiver({ secret: SECRET, path: '/push/reminders' });
  const sub = nats.nc.subscribe(REMINDER_SUBJECT);
  void (async () => {
    for await (const m of sub) onNats.push(m.json<Record<string, unknown>>());
  })();
  h = await startHarness({
    env: { NATS_URL: nats.url, REMINDER_WEBHOOK_URL: gateway.url, REMINDER_WEBHOOK_SECRET: SECRET },
  });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await gateway?.close();
  await nats?.stop();
});

async function medicationTask(token: string) {
  const res = await h.call('POST', '/v1/tasks', {
    token,
    body: { name: HEALTH_NAME, taskType: 'check_in', category: 'medication', config: {}, tags: [] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

describe('reminder channels', () => {
  it('a delivered reminder is pushed, signed, to the gateway and on NATS, with ids and fixed wording only', async () => {
    const token = await h.token(h.newUser());
    const taskId = await medicationTask(token);
    const run = await h.call('POST', `/v1/tasks/${taskId}/execute`, { token });
    expect(run.status).toBe(202);
    const id = `${run.json.executionId}:1`;

    const pushed = await eventually(
      async () => gateway.deliveries.find((d) => d.headers['idempotency-key'] === id),
      30_000,
    );
    expect(pushed.signatureValid).toBe(true);
    expect(pushed.headers['x-wellflow-event']).toBe('task.reminder');
    expect(Object.keys(pushed.body as object)).toEqual([...REMINDER_FIELDS]);
    expect(pushed.body).toMatchObject({
      notificationId: id,
      taskId,
      executionId: run.json.executionId,
      delivery: 1,
      title: 'Reminder',
      body: 'Time for your reminder. Answer done, snooze or skip.',
    });
    expect(pushed.raw).not.toContain('Metformin');

    const published = await eventually(async () => onNats.find((m) => m.notificationId === id), 30_000);
    expect(published).toEqual(pushed.body);

    // The same message is in the inbox, and the run waits for the answer as before.
    const inbox = await h.call('GET', '/v1/me/inbox', { token });
    expect(inbox.json.items.map((m: { id: string }) => m.id)).toContain(id);
    const done = await h.call('POST', `/v1/tasks/${taskId}/executions/${run.json.executionId}/answer`, {
      token,
      body: { action: 'done' },
    });
    expect(done.status).toBe(200);
  });

  it('a gateway outage is retried; a gateway that refuses for good changes nothing but a warning', async () => {
    const token = await h.token(h.newUser());
    const taskId = await medicationTask(token);

    gateway.failNext(2, 503);
    const first = await h.call('POST', `/v1/tasks/${taskId}/execute`, { token });
    const firstId = `${first.json.executionId}:1`;
    await eventually(async () => gateway.deliveries.some((d) => d.headers['idempotency-key'] === firstId), 60_000);
    expect(gateway.requests.filter((r) => r.headers['idempotency-key'] === firstId).length).toBe(3);

    gateway.failNext(1, 400);
    const second = await h.call('POST', `/v1/tasks/${taskId}/execute`, { token });
    const secondId = `${second.json.executionId}:1`;
    await eventually(async () => gateway.requests.some((r) => r.headers['idempotency-key'] === secondId), 30_000);
    const answered = await eventually(async () => {
      const r = await h.call('POST', `/v1/tasks/${taskId}/executions/${second.json.executionId}/answer`, {
        token,
        body: { action: 'skip' },
      });
      return r.status === 200 ? r : undefined;
    }, 30_000);
    expect(answered.json.action).toBe('skip');
    // Refused once, not retried: the inbox has the reminder and the run ended as answered.
    expect(gateway.requests.filter((r) => r.headers['idempotency-key'] === secondId)).toHaveLength(1);
    const runs = await eventually(async () => {
      const r = await h.call('GET', `/v1/tasks/${taskId}/executions`, { token });
      const row = r.json.items.find((e: { executionId: string }) => e.executionId === second.json.executionId);
      return row?.status === 'skipped' ? row : undefined;
    }, 30_000);
    expect(runs.deliveries).toBe(1);
    const progress = await h.temporal.workflow.getHandle(second.json.executionId).query(taskProgressQuery);
    expect(progress.warnings).toEqual([
      expect.stringMatching(/^push did not complete: .*ReminderRejected|answered 400/),
    ]);
    expect(progress.steps.find((s) => s.name === 'push')).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
