import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, eventually, startHarness } from '../support/harness';

/** A seeded week of real analysed meals → weeklyInsight on a real dev server → stored insight and chart. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WEEK = '2026-11-16'; // a Monday
const SEED: [string, string][] = [
  ['2026-11-16T08:00:00+01:00', '2 eggs and a slice of toast'],
  ['2026-11-16T13:00:00+01:00', '150g grilled salmon and rice'],
  ['2026-11-17T19:30:00+01:00', 'spaghetti bolognese'],
  ['2026-11-19T08:15:00+01:00', 'a bowl of oatmeal with blueberries'],
  ['2026-11-22T23:30:00+01:00', 'a banana'], // Sunday late evening in Berlin
  ['2026-11-23T00:30:00+01:00', 'an apple'], // already next week in Berlin
];

describe('weekly insights', () => {
  it("stores a week's insight whose daily totals equal the sums of that week's meals, and renders its chart", async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const ids: { id: string; at: string }[] = [];
    for (const [eatenAt, description] of SEED) {
      const res = await h.call('POST', '/v1/meals', { token, body: { description, eatenAt } });
      ids.push({ id: res.json.mealId, at: eatenAt });
    }
    const meals = await Promise.all(
      ids.map(({ id, at }) =>
        eventually(async () => {
          const m = (await h.call('GET', `/v1/meals/${id}`, { token })).json;
          return m.status === 'completed' ? { ...m, at } : undefined;
        }),
      ),
    );

    const started = await h.call('POST', '/v1/insights/weekly', {
      token,
      body: { weekStart: WEEK, timezone: 'Europe/Berlin' },
    });
    expect(started.status).toBe(202);
    const insight = await eventually(async () => {
      const r = await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token });
      return r.status === 200 ? r.json : undefined;
    });
    expect(insight.days).toHaveLength(7);
    const dayOf = (at: string) => at.slice(0, 10);
    for (const day of insight.days) {
      const mine = meals.filter((m) => dayOf(m.at) === day.date);
      expect(day.mealCount).toBe(mine.length);
      expect(day.totals.kcal).toBeCloseTo(
        mine.reduce((s, m) => s + m.totals.kcal, 0),
        6,
      );
      expect(day.totals.sodium_mg).toBeCloseTo(
        mine.reduce((s, m) => s + m.totals.sodium_mg, 0),
        6,
      );
    }
    expect(insight.mealCount).toBe(5); // the 00:30 apple belongs to the next Berlin week
    expect(insight.messages.length).toBeGreaterThan(0);

    const chart = await h.app.request(`/v1/insights/weekly/${insight.insightId}/chart.svg`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    const svg = await chart.text();
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('Mon');
    expect((svg.match(/class="bar"/g) ?? []).length).toBe(7);

    // Recomputing the week replaces the same insight.
    await h.temporal.workflow.getHandle(started.json.workflowId).result();
    await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: WEEK, timezone: 'Europe/Berlin' } });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token })).json.insightId).toBe(
      insight.insightId,
    );
    const other = await h.token(h.newUser());
    expect(
      (
        await h.app.request(`/v1/insights/weekly/${insight.insightId}/chart.svg`, {
          headers: { Authorization: `Bearer ${other}` },
        })
      ).status,
    ).toBe(404);
  });

  it('rejects a week that is not a Monday and an unknown time zone, and 404s a week with no insight', async () => {
    const token = await h.token(h.newUser());
    expect((await h.call('POST', '/v1/insights/weekly', { token, body: { weekStart: '2026-11-17' } })).status).toBe(
      422,
    );
    expect((await h.call('POST', '/v1/insights/weekly', { token, body: { timezone: 'Mars/Olympus' } })).status).toBe(
      422,
    );
    expect((await h.call('GET', `/v1/insights/weekly?weekStart=${WEEK}`, { token })).status).toBe(404);
    const now = await h.call('POST', '/v1/insights/weekly', { token });
    expect(now.status).toBe(202);
    expect(new Date(`${now.json.weekStart}T00:00:00Z`).getUTCDay()).toBe(1); // the current week's Monday
  });
});
