import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { FOOD_TABLE } from '../../src/domain/nutrition/food-table';
import { type Harness, eventually, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const food = (name: string) => FOOD_TABLE.foods.find((f) => f.name === name)!;
const portion = (name: string, unit: string) => food(name).portions.find((p) => p.unit.startsWith(unit))!;

async function mealCount(userId: string): Promise<number> {
  const rows = await h.database.db.execute(sql`select count(*)::int as n from app.meals where user_id = ${userId}`);
  return (rows[0] as { n: number }).n;
}

async function waitForMeal(token: string, mealId: string, status = 'completed') {
  return eventually(async () => {
    const res = await h.call('GET', `/v1/meals/${mealId}`, { token });
    return res.json.status === status ? res.json : undefined;
  });
}

describe('POST /v1/meals → mealAnalysis → PostgreSQL', () => {
  it('analyses a text meal with USDA numbers and shows it completed with steps, items and totals', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const res = await h.call('POST', '/v1/meals', {
      token,
      body: { description: '200 g chicken breast and a medium banana', mealType: 'lunch' },
    });
    expect(res.status).toBe(202);
    expect(res.json.workflowId).toBe(`meal-${res.json.mealId}`);
    expect(res.headers.get('location')).toBe(`/v1/meals/${res.json.mealId}`);

    const meal = await waitForMeal(token, res.json.mealId);
    const banana = portion('banana', 'medium');
    const expectedKcal =
      Math.round((food('chicken breast').per100g.kcal! * 200) / 100) +
      Math.round((food('banana').per100g.kcal! * banana.grams) / 100);
    expect(meal.totals.kcal).toBe(expectedKcal);
    expect(meal.items.map((i: any) => [i.name, i.grams, i.recognized])).toEqual([
      ['chicken breast', 200, true],
      ['banana', banana.grams, true],
    ]);
    expect(meal.mealType).toBe('lunch');
    expect(meal.steps.map((s: any) => [s.name, s.status, s.required])).toEqual([
      ['load', 'completed', true],
      ['preprocess', 'skipped', true],
      ['recognize', 'skipped', false],
      ['estimate', 'completed', true],
      ['feedback', 'completed', false],
      ['record', 'completed', true],
      ['close', 'completed', true], // and its transaction queued meal.analyzed (meal-close-event.test.ts)
    ]);

    // The meal reads completed as soon as its outcome is written by the close step; the run itself
    // completes a moment later.
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
      return r.json.status === 'completed' ? r : undefined;
    });
    expect(run.json).toMatchObject({
      workflowId: res.json.workflowId,
      type: 'mealAnalysis',
      status: 'completed',
      userId: user,
    });
    expect(run.json.result).toMatchObject({ mealId: res.json.mealId, kcal: expectedKcal, items: 2, recognized: 2 });
    expect(run.json.closedAt).toBeTruthy();
  });

  it('honours Idempotency-Key: same key and body → same meal and no new run; other body → 409', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const headers = { 'Idempotency-Key': 'breakfast-1' };
    const first = await h.call('POST', '/v1/meals', { token, headers, body: { description: 'two eggs' } });
    const again = await h.call('POST', '/v1/meals', { token, headers, body: { description: 'two eggs' } });
    expect(again.status).toBe(202);
    expect(again.json.mealId).toBe(first.json.mealId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await h.call('POST', '/v1/meals', { token, headers, body: { description: 'three eggs' } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('idempotency_key_reused');
    // Another user may use the same key for their own meal.
    const other = await h.call('POST', '/v1/meals', {
      token: await h.token(h.newUser()),
      headers,
      body: { description: 'two eggs' },
    });
    expect(other.json.mealId).not.toBe(first.json.mealId);
    expect(await mealCount(user)).toBe(1);
    await waitForMeal(token, first.json.mealId);
  });

  it('concurrent requests with one Idempotency-Key create one meal', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', '/v1/meals', {
          token,
          headers: { 'Idempotency-Key': 'race' },
          body: { description: 'an apple' },
        }),
      ),
    );
    expect(new Set(results.map((r) => r.json.mealId)).size).toBe(1);
    expect(await mealCount(user)).toBe(1);
  });

  it('rejected input stores nothing and starts nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    for (const body of [
      {},
      { description: '' },
      { description: '   ' },
      { description: 'x'.repeat(2001) },
      { description: 'egg', mealType: 'brunch' },
    ]) {
      const res = await h.call('POST', '/v1/meals', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect(await mealCount(user)).toBe(0);
    const runs = await h.call('GET', '/v1/workflows', { token });
    expect(runs.json.items).toEqual([]);
  });

  it('fails a meal with nothing recognisable, with the reason visible', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', { token, body: { description: 'a plate of moonbeams' } });
    const meal = await waitForMeal(token, res.json.mealId, 'failed');
    expect(meal.error).toMatch(/NoRecognizableFood/);
    expect(meal.steps.find((s: any) => s.name === 'estimate')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(meal.steps.find((s: any) => s.name === 'record').status).toBe('skipped');
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
      return r.json.status === 'failed' ? r : undefined;
    });
    expect(run.json.status).toBe('failed');
    expect(run.json.error).toMatch(/no food in the meal was recognised/);
  });
});

describe('ownership and listing', () => {
  it("another user's meal and run answer 404; lists show only the caller's runs; staff see all", async () => {
    const alice = h.newUser();
    const aliceToken = await h.token(alice);
    const bobToken = await h.token(h.newUser());
    const res = await h.call('POST', '/v1/meals', { token: aliceToken, body: { description: 'a bowl of oatmeal' } });
    await waitForMeal(aliceToken, res.json.mealId);
    expect((await h.call('GET', `/v1/meals/${res.json.mealId}`, { token: bobToken })).status).toBe(404);
    expect((await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token: bobToken })).status).toBe(404);
    expect((await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token: bobToken })).status).toBe(404);

    const mine = await eventually(async () => {
      const r = await h.call('GET', '/v1/workflows?type=mealAnalysis', { token: aliceToken });
      return r.json.items.length === 1 ? r.json : undefined;
    });
    expect(mine.items[0]).toMatchObject({ workflowId: res.json.workflowId, userId: alice });
    expect((await h.call('GET', '/v1/workflows', { token: bobToken })).json.items).toEqual([]);
    const staff = await h.call('GET', '/v1/workflows?limit=100', { token: await h.token('nurse', 'staff') });
    expect(staff.json.items.map((i: any) => i.workflowId)).toContain(res.json.workflowId);

    const meals = await h.call('GET', '/v1/meals', { token: aliceToken });
    expect(meals.json.items.map((m: any) => m.mealId)).toEqual([res.json.mealId]);
    expect((await h.call('GET', '/v1/meals', { token: bobToken })).json.items).toEqual([]);
  });

  it('pages meals newest first with a cursor and filters by date', async () => {
    const token = await h.token(h.newUser());
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];
    for (const d of days)
      await h.call('POST', '/v1/meals', { token, body: { description: 'an apple', eatenAt: `${d}T08:00:00Z` } });
    const page1 = await h.call('GET', '/v1/meals?limit=2', { token });
    const page2 = await h.call('GET', `/v1/meals?limit=2&cursor=${page1.json.nextCursor}`, { token });
    const page3 = await h.call('GET', `/v1/meals?limit=2&cursor=${page2.json.nextCursor}`, { token });
    const order = [...page1.json.items, ...page2.json.items, ...page3.json.items].map((m: any) =>
      m.eatenAt.slice(0, 10),
    );
    expect(order).toEqual([...days].reverse());
    expect(page3.json.nextCursor).toBeNull();
    const ranged = await h.call('GET', '/v1/meals?from=2026-11-02T00:00:00Z&to=2026-11-04T00:00:00Z', { token });
    expect(ranged.json.items.map((m: any) => m.eatenAt.slice(0, 10))).toEqual(['2026-11-03', '2026-11-02']);
    expect((await h.call('GET', '/v1/meals?cursor=garbage', { token })).status).toBe(422);
  });
});

describe('cancel', () => {
  it('cancels a queued run: the meal is marked cancelled by a cleanup that cannot be cancelled', async () => {
    await h.stopWorkers(); // nothing picks the run up, so it is still open when the cancel arrives
    try {
      const token = await h.token(h.newUser());
      const res = await h.call('POST', '/v1/meals', { token, body: { description: 'an orange' } });
      const cancel = await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token });
      expect(cancel.status).toBe(202);
      await h.startWorkers();
      const meal = await waitForMeal(token, res.json.mealId, 'cancelled');
      expect(meal.steps.find((s: any) => s.name === 'close').status).toBe('completed');
      const run = await eventually(async () => {
        const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
        return r.json.status === 'cancelled' ? r.json : undefined;
      });
      expect(run.businessStatus).toBe('cancelled');
      const again = await h.call('POST', `/v1/workflows/${res.json.workflowId}/cancel`, { token });
      expect(again.status).toBe(409);
      expect(again.json.error.category).toBe('conflict');
    } finally {
      await h.startWorkers();
    }
  });
});
