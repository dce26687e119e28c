import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../src/api/services/runs/run-stats';
import { type Harness, eventually, startHarness } from '../support/harness';

/** Run analytics and queue views against real runs on the dev server. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('GET /v1/workflows/stats', () => {
  it("equals a hand count of the caller's seeded runs", async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const from = new Date(Date.now() - 60_000).toISOString();
    const ids: string[] = [];
    for (const description of ['an apple', 'two eggs', 'a bowl of rice', 'a glass of milk'])
      ids.push((await h.call('POST', '/v1/meals', { token, body: { description } })).json.workflowId);
    // A photo without a description waits for input (no model server here); cancelling it ends it as cancelled.
    const form = new FormData();
    const sharp = (await import('sharp')).default;
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
    const waiting = (await h.call('POST', '/v1/meals', { token, form })).json.workflowId as string;
    ids.push(waiting);
    for (const weekStart of ['2026-11-02', '2026-11-09'])
      ids.push((await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart } })).json.workflowId);
    await eventually(
      async () => (await h.call('GET', `/v1/workflows/${waiting}`, { token })).json.businessStatus === 'needs_input',
    );
    await h.call('POST', `/v1/workflows/${waiting}/cancel`, { token });

    // The hand count: each run's own description.
    const described = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => h.temporal.workflow.getHandle(id).describe()));
      return all.every((d) => d.closeTime) ? all : undefined;
    }, 30_000);
    const to = new Date(Date.now() + 1000).toISOString();
    const stats = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/stats?from=${from}&to=${to}`, { token });
      return r.status === 200 && r.json.total === ids.length && !r.json.byStatus.running ? r.json : undefined;
    }, 20_000);

    const expected: Record<string, Record<string, number>> = {};
    for (const d of described) {
      const status = d.status.name === 'CANCELLED' ? 'cancelled' : d.status.name.toLowerCase();
      expected[d.type] ??= {};
      expected[d.type]![status] = (expected[d.type]![status] ?? 0) + 1;
    }
    expect(expected).toEqual({ mealAnalysis: { completed: 4, cancelled: 1 }, weeklyInsight: { completed: 2 } });
    expect(stats.scope).toBe('mine');
    for (const [type, byStatus] of Object.entries(expected)) expect(stats.byType[type].byStatus).toEqual(byStatus);
    expect(stats.byType.mealAnalysis.successRate).toBe(1);
    const mealDurations = described
      .filter((d) => d.type === 'mealAnalysis' && d.status.name === 'COMPLETED')
      .map((d) => d.closeTime!.getTime() - d.startTime.getTime())
      .sort((a, b) => a - b);
    expect(stats.byType.mealAnalysis.durationMs).toEqual({
      p50: percentile(mealDurations, 50),
      p95: percentile(mealDurations, 95),
      p99: percentile(mealDurations, 99),
      count: 4,
    });
    expect(stats.byHour.reduce((a: number, b: number) => a + b, 0)).toBe(ids.length);

    const onlyInsights = await h.call('GET', `/v1/workflows/stats?from=${from}&to=${to}&type=weeklyInsight`, { token });
    expect(onlyInsights.json.total).toBe(2);
    // Another person sees none of these.
    expect(
      (await h.call('GET', `/v1/workflows/stats?from=${from}&to=${to}`, { token: await h.token(h.newUser()) })).json
        .total,
    ).toBe(0);
  }, 60_000);

  it('rejects a backwards or too long range, and an unknown type', async () => {
    const token = await h.token(h.newUser());
    for (const qs of [
      'from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
      'from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      'type=nope',
      'from=yesterday',
    ]) {
      const r = await h.call('GET', `/v1/workflows/stats?${qs}`, { token });
      expect(r.status, qs).toBe(422);
      expect(r.json.error.category).toBe('validation');
    }
  });
});

describe('GET /v1/queues', () => {
  it('shows each task queue with its pollers and backlog, for staff only', async () => {
    expect((await h.call('GET', '/v1/queues', { token: await h.token(h.newUser()) })).status).toBe(403);
    const res = await h.call('GET', '/v1/queues', { token: await h.token('ops', 'staff') });
    expect(res.status).toBe(200);
    expect(res.json.items.map((q: any) => q.name)).toEqual(['critical', 'default', 'heavy']);
    // This file's workers poll every queue: workflow and activity tasks on critical and default; heavy runs
    // activities only (no workflow is defined on it), so its worker has no workflow poller.
    for (const q of res.json.items) {
      expect(q.activity.pollers.length, q.name).toBeGreaterThan(0);
      if (q.name === 'heavy') expect(q.workflow.pollers.length, q.name).toBe(0);
      else expect(q.workflow.pollers.length, q.name).toBeGreaterThan(0);
      expect(q.activity.backlog.approximateCount).toBeGreaterThanOrEqual(0);
    }
  });
});
