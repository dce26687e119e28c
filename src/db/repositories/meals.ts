import { and, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { MealEstimate } from '../../domain/nutrition/types';
import type { Db } from '../client';
import { mealAnalyses, meals } from '../schema';

export type MealRow = typeof meals.$inferSelect;
export type MealAnalysisRow = typeof mealAnalyses.$inferSelect;
export type MealOutcome = 'completed' | 'failed' | 'cancelled';

export interface NewMeal {
  id: string;
  userId: string;
  description: string | null;
  eatenAt: Date;
  mealType: string;
  imageKey?: string | null;
  workflowId: string;
}

/** Meal reads and writes. Every write is idempotent: activities are retried and workers die mid-step. */
export function createMealRepository(db: Db) {
  return {
    async insert(meal: NewMeal): Promise<void> {
      await db.insert(meals).values(meal).onConflictDoNothing({ target: meals.id });
    },

    async delete(id: string): Promise<void> {
      await db.delete(meals).where(eq(meals.id, id));
    },

    async get(id: string): Promise<MealRow | undefined> {
      const rows = await db.select().from(meals).where(eq(meals.id, id)).limit(1);
      return rows[0];
    },

    /** The meal only if it belongs to `userId`: another user's meal reads as absent. */
    async getOwned(id: string, userId: string): Promise<{ meal: MealRow; analysis?: MealAnalysisRow } | undefined> {
      const rows = await db
        .select()
        .from(meals)
        .leftJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(eq(meals.id, id), eq(meals.userId, userId)))
        .limit(1);
      const row = rows[0];
      return row ? { meal: row.meals, analysis: row.meal_analyses ?? undefined } : undefined;
    },

    /** Newest first by (eatenAt, id); `after` is the last row of the previous page. */
    async listOwned(opts: { userId: string; from?: Date; to?: Date; after?: { eatenAt: Date; id: string }; limit: number }) {
      const conds = [eq(meals.userId, opts.userId)];
      if (opts.from) conds.push(gte(meals.eatenAt, opts.from));
      if (opts.to) conds.push(lt(meals.eatenAt, opts.to));
      if (opts.after) {
        conds.push(or(lt(meals.eatenAt, opts.after.eatenAt), and(eq(meals.eatenAt, opts.after.eatenAt), sql`${meals.id} < ${opts.after.id}`))!);
      }
      return db
        .select()
        .from(meals)
        .leftJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(...conds))
        .orderBy(desc(meals.eatenAt), desc(meals.id))
        .limit(opts.limit + 1);
    },

    async upsertAnalysis(mealId: string, estimate: MealEstimate, feedback: unknown[], warnings: string[]): Promise<void> {
      const values = {
        items: estimate.items,
        totals: estimate.totals,
        feedback,
        warnings,
        confidence: estimate.confidence,
        foodTableVersion: estimate.foodTableVersion,
      };
      await db
        .insert(mealAnalyses)
        .values({ mealId, ...values })
        .onConflictDoUpdate({ target: mealAnalyses.mealId, set: { ...values, analyzedAt: new Date() } });
    },

    /** First outcome wins: a retried or duplicated close never overwrites it. */
    async close(mealId: string, outcome: MealOutcome, reason: string | undefined, steps: unknown[]): Promise<void> {
      await db
        .update(meals)
        .set({ outcome, outcomeReason: reason ?? null, closedAt: new Date(), steps })
        .where(and(eq(meals.id, mealId), isNull(meals.outcome)));
    },
  };
}

export type MealRepository = ReturnType<typeof createMealRepository>;
