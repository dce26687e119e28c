import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client';
import { createMealRepository } from '../../src/db/repositories/meals';
import { mealAnalyses, meals } from '../../src/db/schema';
import { seedAnalysedMeals } from '../support/seed-meals';

/**
 * The day's totals the feedback step compares a meal with are added up by PostgreSQL (one row per nutrient
 * comes back, however many meals the day holds). Real database; what is summed and what is left out.
 */
let database: Database;
beforeAll(() => {
  database = createDatabase(inject('databaseUrl'), { max: 4 });
});
afterAll(async () => {
  await database?.close();
});

describe('meal repository: totalsBetween', () => {
  it('adds up the analysed meals in the window per nutrient, leaving out the excluded, failed and other days', async () => {
    const userId = `totals-${randomUUID()}`;
    const other = `totals-${randomUUID()}`;
    const [, b, failed, excluded] = await seedAnalysedMeals(database, [
      { userId, eatenAt: '2026-03-02T08:00:00Z', kcal: 300, sodiumMg: 100 },
      { userId, eatenAt: '2026-03-02T12:30:00Z', kcal: 650.5, sodiumMg: 900 },
      { userId, eatenAt: '2026-03-02T15:00:00Z', kcal: 5000 },
      { userId, eatenAt: '2026-03-02T18:00:00Z', kcal: 7000 },
      { userId, eatenAt: '2026-03-03T08:00:00Z', kcal: 9000 }, // the next day
      { userId: other, eatenAt: '2026-03-02T09:00:00Z', kcal: 8000 }, // someone else
    ]);
    await database.db.update(meals).set({ outcome: 'failed' }).where(eq(meals.id, failed!));
    // A value that is not a number counts as 0 (as the sum in the worker used to treat it).
    const totals = { protein_g: 20, kcal: 'n/a', fiber_g: 2 } as unknown as Record<string, number>;
    await database.db.update(mealAnalyses).set({ totals }).where(eq(mealAnalyses.mealId, b!));

    const repo = createMealRepository(database.db);
    const sum = await repo.totalsBetween(
      userId,
      new Date('2026-03-02T00:00:00Z'),
      new Date('2026-03-03T00:00:00Z'),
      excluded!,
    );
    expect(sum.kcal).toBe(300);
    expect(sum.protein_g).toBe(40);
    expect(sum.sodium_mg).toBe(100);
    expect(sum.fiber_g).toBe(2); // 0 in the seeded meal, 2 in the edited one
    expect(Object.values(sum).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  });

  it('an empty day is an empty sum', async () => {
    const repo = createMealRepository(database.db);
    const sum = await repo.totalsBetween(
      `nobody-${randomUUID()}`,
      new Date('2026-03-02T00:00:00Z'),
      new Date('2026-03-03T00:00:00Z'),
      randomUUID(),
    );
    expect(sum).toEqual({});
  });
});
