import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/contracts/queues';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from '../support/fake-webhook-receiver';
import { type Harness, eventually, startHarness } from '../support/harness';

/**
 * The critical lane: with 1,000 tasks queued on the default task queue (and no default worker to drain
 * them), a flagged entry is screened and its case notified within the high tier's deadline, because case
 * work runs on the critical queue with its own worker and slots.
 */
const SECRET = 'lane-webhook-secret-0123456789';
let h: Harness;
let hooks: FakeWebhookReceiver;

beforeAll(async () => {
  hooks = await startFakeWebhookReceiver({ secret: SECRET });
  // 0.05 × the default 5 min window = a 15 s acknowledgement deadline for `high`.
  h = await startHarness({
    env: {
      WELLFLOW_QUEUES: 'critical,heavy',
      CRISIS_TIME_SCALE: '0.05',
      CRISIS_WEBHOOK_URL: hooks.url,
      CRISIS_WEBHOOK_SECRET: SECRET,
    },
  });
});
afterAll(async () => {
  await h?.stop(); // also terminates the 1,000 queued runs
  await hooks?.close();
  // Their tasks stay queued until a poller takes them (the server then drops them): drain them here, so the
  // next test file's workers do not spend their first seconds on this file's leftovers.
  const drain = await startHarness({ env: { WELLFLOW_QUEUES: 'default' } });
  try {
    await eventually(
      async () => {
        const queue = await drain.temporal.workflowService.describeTaskQueue({
          namespace: drain.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: QUEUES.default },
          reportStats: true,
          taskQueueType: 1,
        });
        return Number(queue.stats?.approximateBacklogCount ?? 0) === 0;
      },
      60_000,
      500,
    );
  } finally {
    await drain.stop();
  }
}, 90_000);

describe('critical task queue', () => {
  it('notifies a high-tier case within its deadline while the default queue holds 1,000 tasks', async () => {
    const backlog = Array.from({ length: 1000 }, () => randomUUID());
    for (let i = 0; i < backlog.length; i += 100) {
      await Promise.all(
        backlog.slice(i, i + 100).map((mealId) =>
          h.temporal.workflow.start('mealAnalysis', {
            workflowId: `meal-${mealId}`,
            taskQueue: QUEUES.default,
            args: [{ mealId, userId: 'load-test' }],
          }),
        ),
      );
    }
    // The server's backlog count is approximate and catches up within a few seconds.
    const backlogCount = await eventually(
      async () => {
        const queue = await h.temporal.workflowService.describeTaskQueue({
          namespace: h.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: QUEUES.default },
          reportStats: true,
          taskQueueType: 1,
        });
        const n = Number(queue.stats?.approximateBacklogCount ?? 0);
        return n >= 1000 ? n : undefined;
      },
      20_000,
      500,
    );

    const user = h.newUser();
    const posted = Date.now();
    const res = await h.call('POST', '/v1/journal-entries', {
      token: await h.token(user),
      body: { text: 'I have a plan to kill myself this weekend' },
    });
    expect(res.status).toBe(202);
    const opened = await eventually(
      async () =>
        hooks.deliveries.map((d) => d.body as any).find((b) => b.userId === user && b.event === 'case.opened'),
      15_000,
      100,
    );
    const deliveredMs = Date.now() - posted;
    const deadlineMs = Date.parse(opened.ackDeadline) - posted;
    console.log(
      `critical lane: case notified ${deliveredMs} ms after the entry, with ${backlogCount} tasks queued on default (deadline ${deadlineMs} ms)`,
    );
    expect(deliveredMs).toBeLessThan(deadlineMs);
    expect(opened.tier).toBe('high');
  }, 120_000);
});
