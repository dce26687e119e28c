import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/client';
import { mealAnalyses, meals as mealsTable } from '../../src/db/schema';
import { zeroNutrients } from '../../src/domain/nutrition/types';

/**
 * Completed, analysed meals written straight to the tables (as the meal workflow's store and close steps
 * leave them), for tests that need many people's history faster than real analyses could make it.
 */
export async function seedAnalysedMeals(
  database: Database,
  meals: { userId: string; eatenAt: string; kcal: number; sodiumMg?: number; imageKey?: string }[],
): Promise<string[]> {
  const ids: string[] = [];
  // One statement per 500 rows keeps each under PostgreSQL's parameter limit.
  for (let i = 0; i < meals.length; i += 500) {
    const chunk = meals.slice(i, i + 500).map((m) => {
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        m,
        totals: {
          ...zeroNutrients(),
          kcal: m.kcal,
          sodium_mg: m.sodiumMg ?? 400,
          protein_g: 20,
          carb_g: 60,
          fat_g: 15,
        },
      };
    });
    await database.db.insert(mealsTable).values(
      chunk.map(({ id, m }) => ({
        id,
        userId: m.userId,
        description: 'seeded meal',
        eatenAt: new Date(m.eatenAt),
        mealType: 'lunch',
        workflowId: `meal-${id}`,
        imageKey: m.imageKey ?? null,
        outcome: 'completed',
        closedAt: new Date(),
      })),
    );
    await database.db.insert(mealAnalyses).values(
      chunk.map(({ id, totals }) => ({
        mealId: id,
        items: [{ name: 'seeded food', grams: 300, nutrients: totals }],
        totals,
        feedback: [],
        warnings: [],
        confidence: 0.9,
        foodTableVersion: 'seed',
      })),
    );
  }
  return ids;
}
