import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, eventually, startHarness } from '../support/harness';

/** Batches: one child run per meal, a concurrency cap, tolerated item failures, cancellation. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const MEALS = [
  '2 eggs and toast',
  'a bowl of oatmeal with blueberries',
  '150g grilled salmon and rice',
  'a banana',
  'chicken caesar salad',
  'a cup of coffee with milk',
  'spaghetti bolognese',
  'a handful of almonds',
];
const BAD = 'zzqx vrrblt';

const waitBatch = (token: string, batchId: string, status: string, ms = 120_000) =>
  eventually(
    async () => {
      const res = await h.call('GET', `/v1/meals/batch/${batchId}`, { token });
      return res.json.status === status ? res.json : undefined;
    },
    ms,
    500,
  );

/** The most child runs that were open at the same moment, from Temporal's own start and close times. */
async function maxOverlap(mealIds: string[]): Promise<number> {
  const spans = await Promise.all(
    mealIds.map(async (id) => {
      const d = await h.temporal.workflow.getHandle(`meal-${id}`).describe();
      return [d.startTime.getTime(), d.closeTime!.getTime()] as const;
    }),
  );
  const edges = spans
    .flatMap(([s, e]) => [[s, 1] as const, [e, -1] as const])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (open += d));
  return max;
}

describe('POST /v1/meals/batch', () => {
  it('runs 100 meals with 5 bad ones: 95 completed, 5 failed with reasons, never more than the cap at once', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const items = Array.from({ length: 100 }, (_, i) => ({
      description: i % 20 === 7 ? BAD : MEALS[i % MEALS.length]!,
      mealType: 'snack',
    }));
    const res = await h.call('POST', '/v1/meals/batch', { token, body: { items, concurrency: 4 } });
    expect(res.status).toBe(202);
    expect(res.json.workflowId).toBe(`meal-batch-${res.json.batchId}`);

    const running = await eventually(async () => {
      const r = await h.call('GET', `/v1/meals/batch/${res.json.batchId}`, { token });
      return r.json.counts.completed > 0 ? r.json : undefined;
    });
    expect(running.total).toBe(100);
    const run = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
    expect(run.json).toMatchObject({ type: 'mealBatch', userId: user });
    if (run.json.status === 'running')
      expect(run.json.progress).toMatchObject({ total: 100, counts: expect.any(Object) });

    const done = await waitBatch(token, res.json.batchId, 'completed');
    expect(done.counts).toMatchObject({ completed: 95, failed: 5, queued: 0, running: 0, cancelled: 0 });
    const failed = done.items.filter((i: any) => i.status === 'failed');
    expect(failed).toHaveLength(5);
    for (const f of failed) expect(f.error).toMatch(/NoRecognizableFood/);

    const mealIds = done.items.map((i: any) => i.mealId);
    expect(await maxOverlap(mealIds)).toBeLessThanOrEqual(4);
    const result = await h.temporal.workflow.getHandle(res.json.workflowId).result();
    expect(result.maxRunning).toBe(4);
    const rows = await h.database.db.execute(
      sql`select count(*)::int as n, count(distinct id)::int as d from app.meals where user_id = ${user}`,
    );
    expect(rows[0]).toEqual({ n: 100, d: 100 });
    // Each meal is a normal meal of its owner.
    const one = await h.call('GET', `/v1/meals/${mealIds[0]}`, { token });
    expect(one.json.status).toBe('completed');
    expect(done.items[7].status).toBe('failed'); // items keep submission order: item 7 was a bad one
  }, 180_000);

  it('cancels: running children are cancelled, meals not started are closed as cancelled, none left open', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const items = Array.from({ length: 40 }, (_, i) => ({ description: MEALS[i % MEALS.length]! }));
    const res = await h.call('POST', '/v1/meals/batch', { token, body: { items, concurrency: 1 } });
    await eventually(
      async () => (await h.call('GET', `/v1/meals/batch/${res.json.batchId}`, { token })).json.counts.completed >= 1,
    );
    expect((await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token })).status).toBe(202);
    const done = await waitBatch(token, res.json.batchId, 'cancelled');
    expect(done.counts.cancelled).toBeGreaterThan(0);
    expect(done.counts.completed + done.counts.cancelled + done.counts.failed).toBe(40);
    const open = await h.database.db.execute(
      sql`select count(*)::int as n from app.meals where user_id = ${user} and outcome is null`,
    );
    expect(open[0]).toEqual({ n: 0 });
  }, 120_000);

  it('rejects bad batches with the envelope and stores nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const tooMany = await h.call('POST', '/v1/meals/batch', {
      token,
      body: { items: Array.from({ length: 501 }, () => ({ description: 'toast' })) },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.error.message).toMatch(/at most 500/);
    expect((await h.call('POST', '/v1/meals/batch', { token, body: { items: [] } })).status).toBe(422);
    expect((await h.call('POST', '/v1/meals/batch', { token, body: { items: [{ description: '' }] } })).status).toBe(
      422,
    );
    expect(
      (await h.call('POST', '/v1/meals/batch', { token, body: { items: [{ description: 'toast' }], concurrency: 0 } }))
        .status,
    ).toBe(422);
    const rows = await h.database.db.execute(sql`select count(*)::int as n from app.meals where user_id = ${user}`);
    expect(rows[0]).toEqual({ n: 0 });
    const other = await h.token(h.newUser());
    const ok = await h.call('POST', '/v1/meals/batch', { token, body: { items: [{ description: 'toast' }] } });
    expect((await h.call('GET', `/v1/meals/batch/${ok.json.batchId}`, { token: other })).status).toBe(404);
    expect((await h.call('GET', '/v1/meals/batch/not-a-uuid', { token })).status).toBe(404);
  });
});
