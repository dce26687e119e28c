import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, eventually, startHarness } from '../support/harness';
import { seedAnalysedMeals } from '../support/seed-meals';

/** The weekly fan-out over 1,000 seeded people with a small page size, on a real dev server. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WEEK = '2024-06-03'; // no other test seeds this week

describe('weeklyInsightsAll', () => {
  it('continues as new between pages and stores one insight per person with meals that week', async () => {
    const prefix = `fan-${Date.now().toString(36)}`;
    const people = Array.from({ length: 1000 }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    // Two meals each; one person also ate the week after (it must not count towards this week).
    await seedAnalysedMeals(h.database, [
      ...people.flatMap((userId, i) => [
        { userId, eatenAt: '2024-06-04T12:00:00Z', kcal: 500 },
        { userId, eatenAt: '2024-06-07T19:00:00Z', kcal: 300 + (i % 7) },
      ]),
      { userId: people[0]!, eatenAt: '2024-06-11T12:00:00Z', kcal: 900 },
    ]);

    const workflowId = `weekly-fanout-test-${prefix}`;
    const result = await h.temporal.workflow.execute('weeklyInsightsAll', {
      taskQueue: 'default',
      workflowId,
      args: [{ weekStart: WEEK, pageSize: 100, concurrency: 25 }],
      workflowExecutionTimeout: '10m',
    });
    expect(result).toMatchObject({ weekStart: WEEK, completed: 1000, failed: 0, skipped: 0 });
    // 10 full pages, then the empty 11th that ends it.
    expect(result.pages).toBe(11);

    // Visibility is eventually consistent: wait until it has all 11 runs.
    const runs = await eventually(async () => {
      const names: string[] = [];
      for await (const r of h.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        names.push(r.status.name);
      return names.length === 11 && names.includes('COMPLETED') ? names : undefined;
    });
    expect(runs.filter((s) => s === 'CONTINUED_AS_NEW')).toHaveLength(10);
    expect(runs.filter((s) => s === 'COMPLETED')).toHaveLength(1);

    const rows = await h.database.sql<{ user_id: string; meals: number }[]>`
      select user_id, (insight->>'mealCount')::int as meals
      from app.weekly_insights where week_start = ${WEEK} and user_id like ${`${prefix}-%`}`;
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(1000);
    expect(rows.every((r) => r.meals === 2)).toBe(true);
  }, 300_000);
});
