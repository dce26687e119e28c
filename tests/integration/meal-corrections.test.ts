import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOOD_TABLE } from '../../src/domain/nutrition/food-table';
import { photo } from '../fixtures/images';
import { type Harness, eventually, startHarness } from '../support/harness';

/** A person corrects an analysed meal through the real API, Temporal dev server and PostgreSQL. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const food = (name: string) => FOOD_TABLE.foods.find((f) => f.name === name)!;
const WEEK = '2026-11-16'; // a Monday (UTC: the person has no insight zone)

async function analysedMeal(token: string, description: string, eatenAt = '2026-11-17T12:30:00Z') {
  const res = await h.call('POST', '/v1/meals', { token, body: { description, eatenAt, mealType: 'dinner' } });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const m = (await h.call('GET', `/v1/meals/${res.json.mealId}`, { token })).json;
    return m.status === 'completed' ? m : undefined;
  });
}

async function appliedCorrection(token: string, mealId: string, revision: number) {
  return eventually(async () => {
    const m = (await h.call('GET', `/v1/meals/${mealId}`, { token })).json;
    return m.correction?.revision === revision && m.correction.status !== 'pending' ? m : undefined;
  });
}

async function rows(mealId: string) {
  return h.database.db.execute(
    sql`select revision, status from app.meal_corrections where meal_id = ${mealId} order by revision`,
  );
}

describe('GET /v1/foods', () => {
  it('finds foods by name, best first, a page at a time; a bad q is a 422', async () => {
    const token = await h.token(h.newUser());
    const res = await h.call('GET', '/v1/foods?q=salmon&limit=3', { token });
    expect(res.status).toBe(200);
    expect(res.json.items[0]).toMatchObject({ foodId: food('salmon').id, name: 'salmon', category: 'fish' });
    expect(res.json.items).toHaveLength(3);
    expect(res.json.total).toBeGreaterThan(3);
    expect(res.json.nextOffset).toBe(3);
    const next = await h.call('GET', '/v1/foods?q=salmon&limit=3&offset=3', { token });
    expect(next.json.items.map((f: any) => f.foodId)).not.toContain(food('salmon').id);
    for (const q of ['', '%20%20', '...', 'x'.repeat(101)]) {
      const bad = await h.call('GET', `/v1/foods?q=${q}`, { token });
      expect(bad.status, q).toBe(422);
      expect(bad.json.error.category).toBe('validation');
    }
    expect((await h.call('GET', '/v1/foods', { token })).status).toBe(422);
    expect((await h.call('GET', '/v1/foods?q=egg&limit=51', { token })).status).toBe(422);
    expect((await h.call('GET', '/v1/foods?q=egg')).status).toBe(401);
  });
});

describe('PATCH /v1/meals/{id}/items', () => {
  it('replaces the items: new totals and feedback, the original kept beside it with who and when', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const meal = await analysedMeal(token, 'grilled salmon and rice');
    const salmon = food('salmon');
    const res = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
      token,
      body: { items: [{ foodId: salmon.id, amount: 150, unit: 'g' }, { description: '4 eggs' }] },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json).toMatchObject({
      mealId: meal.mealId,
      revision: 1,
      workflowId: `meal-correction-${meal.mealId}-1`,
      status: 'pending',
    });
    expect(res.json.runId).toMatch(/^[0-9a-f-]{36}$/);

    const corrected = await appliedCorrection(token, meal.mealId, 1);
    expect(corrected.correction, JSON.stringify(corrected.correction)).toMatchObject({
      status: 'applied',
      correctedBy: user,
      revision: 1,
    });
    expect(Date.parse(corrected.correction.correctedAt)).toBeGreaterThan(
      Date.parse(corrected.correction.requestedAt) - 1,
    );
    expect(corrected.items.map((i: any) => [i.name, i.grams])).toEqual([
      ['salmon', 150],
      ['egg', expect.any(Number)],
    ]);
    const salmonKcal = Math.round((salmon.per100g.kcal! * 150) / 100);
    expect(corrected.totals.kcal).toBe(salmonKcal + corrected.items[1].nutrients.kcal);
    expect(corrected.feedback.length).toBeGreaterThan(0);
    // The original analysis, exactly as it was.
    expect(corrected.original.totals).toEqual(meal.totals);
    expect(corrected.original.items).toEqual(meal.items);
    expect(corrected.original.feedback).toEqual(meal.feedback);
    expect(corrected.totals.kcal).not.toBe(meal.totals.kcal);

    // The run is a real mealCorrection run with its policy's steps.
    const run = await eventually(async () => {
      const r = await h.call('GET', `/v1/workflows/${res.json.workflowId}`, { token });
      return r.json?.status === 'completed' ? r.json : undefined;
    });
    expect(run).toMatchObject({ type: 'mealCorrection', result: { revision: 1, kcal: corrected.totals.kcal } });

    // A second correction (remove the eggs): revision 2; the original stays the first analysis.
    const again = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
      token,
      body: { items: [{ foodId: salmon.id, amount: 1, unit: 'fillet' }] },
    });
    expect(again.status, JSON.stringify(again.json)).toBe(202);
    expect(again.json.revision).toBe(2);
    const second = await appliedCorrection(token, meal.mealId, 2);
    expect(second.items).toHaveLength(1);
    expect(second.original.totals).toEqual(meal.totals);
  });

  it('marks the week of the corrected meal stale until the week is computed again', async () => {
    const token = await h.token(h.newUser());
    const meal = await analysedMeal(token, 'a steak');
    await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: WEEK } });
    const before = await eventually(async () => {
      const r = await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token });
      return r.status === 200 ? r.json : undefined;
    });
    expect(before.stale).toBe(false);

    const res = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
      token,
      body: { items: [{ description: '200 g steak' }] },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    await appliedCorrection(token, meal.mealId, 1);
    const stale = (await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token })).json;
    expect(stale.stale).toBe(true);
    expect(stale.staleSince).toBeTruthy();

    // On demand: the week is computed again from the corrected meal and is fresh.
    await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: WEEK } });
    const fresh = await eventually(async () => {
      const r = (await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token })).json;
      return r.stale === false ? r : undefined;
    });
    const corrected = (await h.call('GET', `/v1/meals/${meal.mealId}`, { token })).json;
    const day = fresh.days.find((d: any) => d.date === '2026-11-17');
    expect(day.totals.kcal).toBeCloseTo(corrected.totals.kcal, 6);
  });

  it('refuses bad input with a 4xx and changes nothing', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const meal = await analysedMeal(token, '2 eggs and toast');
    const patch = (body: unknown, t = token, id = meal.mealId) =>
      h.call('PATCH', `/v1/meals/${id}/items`, { token: t, body });
    const cases: [unknown, number, string][] = [
      [{ items: [] }, 422, 'validation'],
      [{ items: Array.from({ length: 51 }, () => ({ description: 'an egg' })) }, 422, 'validation'],
      [{ items: [{ foodId: '99999', amount: 1, unit: 'g' }] }, 422, 'unknown_food'],
      [{ items: [{ foodId: food('egg').id, amount: 2, unit: 'furlong' }] }, 422, 'unknown_unit'],
      [{ items: [{ foodId: food('egg').id, amount: -1, unit: 'g' }] }, 422, 'validation'],
      [{ items: [{ description: 'unicorn stew' }] }, 422, 'unrecognized_item'],
      [{ items: [{ description: 'an egg', foodId: food('egg').id }] }, 422, 'validation'],
      [{ things: [] }, 422, 'validation'],
    ];
    for (const [body, status, code] of cases) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect([res.json.error.code, res.json.error.category]).toContain(code);
    }
    const unknownFood = await patch({ items: [{ description: 'an egg' }, { foodId: '99999', amount: 1, unit: 'g' }] });
    expect(unknownFood.json.error.details).toEqual([expect.objectContaining({ path: 'items.1.foodId' })]);
    // Someone else's meal, or no meal at all: 404.
    expect((await patch({ items: [{ description: 'an egg' }] }, await h.token(h.newUser()))).status).toBe(404);
    expect((await patch({ items: [{ description: 'an egg' }] }, token, 'not-a-meal')).status).toBe(404);
    expect((await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, { token, body: 'not json{' })).status).toBe(400);
    // Nothing was stored and the analysis is untouched.
    expect(await rows(meal.mealId)).toHaveLength(0);
    const after = (await h.call('GET', `/v1/meals/${meal.mealId}`, { token })).json;
    expect(after.totals).toEqual(meal.totals);
    expect(after.correction).toBeUndefined();
    // Logs carry ids only: never the items people typed.
    expect(JSON.stringify(h.logLines)).not.toContain('unicorn stew');
    expect(JSON.stringify(h.logLines)).toContain(meal.mealId);
  });

  it('refuses a meal that is not analysed yet (409), and a second correction or a confirmation while one runs (409)', async () => {
    const token = await h.token(h.newUser());
    // A photo with no model server waits in needs_input: not completed.
    const form = new FormData();
    form.set('image', new File([await photo('jpeg')], 'meal.jpg', { type: 'image/jpeg' }));
    const waiting = await h.call('POST', '/v1/meals', { token, form });
    expect(waiting.status).toBe(202);
    await eventually(
      async () => (await h.call('GET', `/v1/meals/${waiting.json.mealId}`, { token })).json.status === 'needs_input',
    );
    const refused = await h.call('PATCH', `/v1/meals/${waiting.json.mealId}/items`, {
      token,
      body: { items: [{ description: 'an egg' }] },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('meal_not_completed');
    const unconfirmable = await h.call('POST', `/v1/meals/${waiting.json.mealId}/confirm`, { token });
    expect(unconfirmable.status).toBe(409); // nothing to confirm yet
    expect(unconfirmable.json.error.code).toBe('meal_not_completed');

    // One at a time: with the workers stopped the first correction stays pending, so the second is refused.
    const meal = await analysedMeal(token, 'a banana');
    await h.stopWorkers();
    try {
      const first = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
        token,
        headers: { 'Idempotency-Key': 'fix-1' },
        body: { items: [{ description: '2 bananas' }] },
      });
      expect(first.status).toBe(202);
      const second = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
        token,
        body: { items: [{ description: '3 bananas' }] },
      });
      expect(second.status).toBe(409);
      expect(second.json.error.code).toBe('correction_in_progress');
      // Nor can the analysis being replaced be confirmed meanwhile; nothing is written.
      const confirm = await h.call('POST', `/v1/meals/${meal.mealId}/confirm`, { token });
      expect(confirm.status).toBe(409);
      expect(confirm.json.error.code).toBe('correction_in_progress');
      const [row] = await h.database.sql`select confirmed_at from app.meals where id = ${meal.mealId}`;
      expect(row!.confirmed_at).toBeNull();
      // The same request with the same Idempotency-Key is the same correction, not a conflict.
      const replay = await h.call('PATCH', `/v1/meals/${meal.mealId}/items`, {
        token,
        headers: { 'Idempotency-Key': 'fix-1' },
        body: { items: [{ description: '2 bananas' }] },
      });
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.json.correctionId).toBe(first.json.correctionId);
      expect(await rows(meal.mealId)).toEqual([{ revision: 1, status: 'pending' }]);
    } finally {
      await h.startWorkers();
    }
    const done = await appliedCorrection(token, meal.mealId, 1);
    expect(done.items[0].grams).toBe(2 * meal.items[0].grams);
  });
});
