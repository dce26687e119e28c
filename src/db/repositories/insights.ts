import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { mealAnalyses, meals, userProfiles, weeklyInsights } from '../schema';

export type InsightRow = typeof weeklyInsights.$inferSelect;

export function createInsightRepository(db: Db) {
  return {
    /** Idempotent per (person, week): a recomputation replaces the stored insight and keeps its id. */
    async upsert(userId: string, weekStart: string, timezone: string, insight: unknown): Promise<string> {
      const rows = await db
        .insert(weeklyInsights)
        .values({ id: randomUUID(), userId, weekStart, timezone, insight })
        .onConflictDoUpdate({
          target: [weeklyInsights.userId, weeklyInsights.weekStart],
          set: { timezone, insight, computedAt: new Date() },
        })
        .returning({ id: weeklyInsights.id });
      return rows[0]!.id;
    },
    async getByWeek(userId: string, weekStart: string): Promise<InsightRow | undefined> {
      return (
        await db
          .select()
          .from(weeklyInsights)
          .where(and(eq(weeklyInsights.userId, userId), eq(weeklyInsights.weekStart, weekStart)))
          .limit(1)
      )[0];
    },
    async getOwned(id: string, userId: string): Promise<InsightRow | undefined> {
      return (
        await db
          .select()
          .from(weeklyInsights)
          .where(and(eq(weeklyInsights.id, id), eq(weeklyInsights.userId, userId)))
          .limit(1)
      )[0];
    },
    /** A person's analysed, completed meals eaten in [from, to). */
    async analysedMeals(userId: string, from: Date, to: Date) {
      return db
        .select({
          id: meals.id,
          eatenAt: meals.eatenAt,
          mealType: meals.mealType,
          totals: mealAnalyses.totals,
          items: mealAnalyses.items,
        })
        .from(meals)
        .innerJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(
          and(
            eq(meals.userId, userId),
            gte(meals.eatenAt, from),
            lt(meals.eatenAt, to),
            inArray(meals.outcome, ['completed']),
          ),
        );
    },
    /**
     * Distinct people with a completed meal eaten in [from, to), in user-id order after `after` (keyset
     * paging: each page costs the same however far the fan-out has got), with their insight time zone.
     */
    async peopleWithMeals(from: Date, to: Date, after: string | undefined, limit: number) {
      const people = db
        .selectDistinct({ userId: meals.userId })
        .from(meals)
        .where(
          and(
            gte(meals.eatenAt, from),
            lt(meals.eatenAt, to),
            eq(meals.outcome, 'completed'),
            after === undefined ? undefined : gt(meals.userId, after),
          ),
        )
        .orderBy(asc(meals.userId))
        .limit(limit)
        .as('people');
      return db
        .select({ userId: people.userId, timezone: userProfiles.timezone })
        .from(people)
        .leftJoin(userProfiles, eq(userProfiles.userId, people.userId))
        .orderBy(asc(people.userId));
    },
  };
}

export type InsightRepository = ReturnType<typeof createInsightRepository>;
