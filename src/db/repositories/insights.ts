import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { mealAnalyses, meals, weeklyInsights } from '../schema';

export type InsightRow = typeof weeklyInsights.$inferSelect;

export function createInsightRepository(db: Db) {
  return {
    /** Idempotent per (person, week): a recomputation replaces the stored insight and keeps its id. */
    async upsert(userId: string, weekStart: string, timezone: string, insight: unknown): Promise<string> {
      const rows = await db
        .insert(weeklyInsights)
        .values({ id: randomUUID(), userId, weekStart, timezone, insight })
        .onConflictDoUpdate({ target: [weeklyInsights.userId, weeklyInsights.weekStart], set: { timezone, insight, computedAt: new Date() } })
        .returning({ id: weeklyInsights.id });
      return rows[0]!.id;
    },
    async getByWeek(userId: string, weekStart: string): Promise<InsightRow | undefined> {
      return (await db.select().from(weeklyInsights).where(and(eq(weeklyInsights.userId, userId), eq(weeklyInsights.weekStart, weekStart))).limit(1))[0];
    },
    async getOwned(id: string, userId: string): Promise<InsightRow | undefined> {
      return (await db.select().from(weeklyInsights).where(and(eq(weeklyInsights.id, id), eq(weeklyInsights.userId, userId))).limit(1))[0];
    },
    /** A person's analysed, completed meals eaten in [from, to). */
    async analysedMeals(userId: string, from: Date, to: Date) {
      return db
        .select({ id: meals.id, eatenAt: meals.eatenAt, mealType: meals.mealType, totals: mealAnalyses.totals, items: mealAnalyses.items })
        .from(meals)
        .innerJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(eq(meals.userId, userId), gte(meals.eatenAt, from), lt(meals.eatenAt, to), inArray(meals.outcome, ['completed'])));
    },
  };
}

export type InsightRepository = ReturnType<typeof createInsightRepository>;
