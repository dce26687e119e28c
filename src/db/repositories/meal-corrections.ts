import { and, asc, eq, sql } from 'drizzle-orm';
import type { MealEstimate } from '../../domain/nutrition/types';
import type { Db } from '../client';
import { mealAnalyses, mealCorrections, meals, weeklyInsightStaleMarks } from '../schema';

export type MealCorrectionRow = typeof mealCorrections.$inferSelect;

export interface NewCorrection {
  id: string;
  mealId: string;
  userId: string;
  requestedItems: unknown[];
  correctedBy: string;
  /** Builds the run's workflow id from the revision the insert picked. */
  workflowId: (revision: number) => string;
}

/** The analysis a revision replaced, as it was: what GET /v1/meals/{id} shows as `original` for revision 1. */
export interface ReplacedAnalysis {
  items: unknown;
  totals: unknown;
  feedback: unknown;
  warnings: unknown;
  confidence: number;
  foodTableVersion: string;
  analyzedAt: string;
}

const ref = (mealId: string, revision: number) =>
  and(eq(mealCorrections.mealId, mealId), eq(mealCorrections.revision, revision));
const pending = (mealId: string, revision: number) => and(ref(mealId, revision), eq(mealCorrections.status, 'pending'));

/**
 * Meal corrections: one row per revision. Every write by the correction run is keyed by (meal, revision) and
 * only touches a pending revision, so a retried step rewrites the same values and an applied or failed
 * revision never changes again.
 */
export function createMealCorrectionRepository(db: Db) {
  return {
    /**
     * Stores the next revision as pending (inside the API's idempotency transaction). The partial unique index
     * allows one pending revision per meal: a second one throws a unique violation (23505), which the caller
     * answers with 409.
     */
    async insertPending(c: NewCorrection): Promise<number> {
      const [{ next }] = (await db.execute(
        sql`select coalesce(max(revision), 0) + 1 as next from app.meal_corrections where meal_id = ${c.mealId}`,
      )) as unknown as [{ next: number }];
      const revision = Number(next);
      await db.insert(mealCorrections).values({
        id: c.id,
        mealId: c.mealId,
        userId: c.userId,
        revision,
        status: 'pending',
        requestedItems: c.requestedItems,
        correctedBy: c.correctedBy,
        workflowId: c.workflowId(revision),
      });
      return revision;
    },

    async getById(id: string): Promise<MealCorrectionRow | undefined> {
      return (await db.select().from(mealCorrections).where(eq(mealCorrections.id, id)).limit(1))[0];
    },

    async get(mealId: string, revision: number): Promise<MealCorrectionRow | undefined> {
      return (await db.select().from(mealCorrections).where(ref(mealId, revision)).limit(1))[0];
    },

    /** Every revision of a meal, oldest first (a handful at most). */
    async forMeal(mealId: string): Promise<MealCorrectionRow[]> {
      return db
        .select()
        .from(mealCorrections)
        .where(eq(mealCorrections.mealId, mealId))
        .orderBy(asc(mealCorrections.revision));
    },

    async hasPending(mealId: string): Promise<boolean> {
      const rows = await db
        .select({ id: mealCorrections.id })
        .from(mealCorrections)
        .where(and(eq(mealCorrections.mealId, mealId), eq(mealCorrections.status, 'pending')))
        .limit(1);
      return rows.length > 0;
    },

    /**
     * The person's confirmation that the analysis is right: the first confirmation's time is kept (confirming
     * again changes nothing). Only a completed meal of theirs with no correction being applied, checked in the
     * same statement; undefined when those do not hold.
     */
    async confirm(mealId: string, userId: string): Promise<Date | undefined> {
      const rows = await db
        .update(meals)
        .set({ confirmedAt: sql`coalesce(${meals.confirmedAt}, now())` })
        .where(
          and(
            eq(meals.id, mealId),
            eq(meals.userId, userId),
            eq(meals.outcome, 'completed'),
            sql`not exists (select 1 from ${mealCorrections} where ${mealCorrections.mealId} = ${meals.id} and ${mealCorrections.status} = 'pending')`,
          ),
        )
        .returning({ confirmedAt: meals.confirmedAt });
      return rows[0]?.confirmedAt ?? undefined;
    },

    async setRunId(id: string, runId: string): Promise<void> {
      await db.update(mealCorrections).set({ runId }).where(eq(mealCorrections.id, id));
    },

    /** Removes a revision whose run could not be started (the request changed nothing). */
    async deletePending(id: string): Promise<void> {
      await db.delete(mealCorrections).where(and(eq(mealCorrections.id, id), eq(mealCorrections.status, 'pending')));
    },

    async saveEstimate(mealId: string, revision: number, estimate: MealEstimate): Promise<void> {
      await db
        .update(mealCorrections)
        .set({
          items: estimate.items,
          totals: estimate.totals,
          warnings: estimate.warnings,
          confidence: estimate.confidence,
          foodTableVersion: estimate.foodTableVersion,
        })
        .where(pending(mealId, revision));
    },

    async saveFeedback(mealId: string, revision: number, feedback: unknown[], caveats: string[]): Promise<void> {
      await db
        .update(mealCorrections)
        .set({
          feedback,
          warnings: sql`coalesce(${mealCorrections.warnings}, '[]'::jsonb) || ${JSON.stringify(caveats)}::jsonb`,
        })
        .where(pending(mealId, revision));
    },

    /**
     * In one transaction: the current analysis is kept on the revision as `replaced`, the revision's estimate
     * becomes the meal's analysis, the revision is applied, and the given weeks' insights are marked stale.
     * False (and nothing written) when the revision is not pending: it was applied by an earlier attempt.
     */
    async apply(
      mealId: string,
      revision: number,
      extraWarnings: string[],
      staleWeeks: { userId: string; weekStarts: string[] },
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(mealCorrections).where(pending(mealId, revision)).for('update').limit(1);
        if (!row) return false;
        if (!row.items || !row.totals) throw new Error(`revision ${revision} of meal ${mealId} has no estimate yet`);
        const [current] = await tx.select().from(mealAnalyses).where(eq(mealAnalyses.mealId, mealId)).limit(1);
        const replaced: ReplacedAnalysis | null = current
          ? {
              items: current.items,
              totals: current.totals,
              feedback: current.feedback,
              warnings: current.warnings,
              confidence: current.confidence,
              foodTableVersion: current.foodTableVersion,
              analyzedAt: current.analyzedAt.toISOString(),
            }
          : null;
        const values = {
          items: row.items,
          totals: row.totals,
          feedback: row.feedback ?? [],
          warnings: [...((row.warnings as string[] | null) ?? []), ...extraWarnings],
          confidence: row.confidence ?? 1,
          foodTableVersion: row.foodTableVersion ?? '',
          analyzedAt: new Date(),
        };
        await tx
          .insert(mealAnalyses)
          .values({ mealId, ...values })
          .onConflictDoUpdate({ target: mealAnalyses.mealId, set: values });
        await tx
          .update(mealCorrections)
          .set({ status: 'applied', correctedAt: values.analyzedAt, replaced, warnings: values.warnings })
          .where(eq(mealCorrections.id, row.id));
        for (const weekStart of staleWeeks.weekStarts) {
          await tx
            .insert(weeklyInsightStaleMarks)
            .values({ userId: staleWeeks.userId, weekStart, reason: `meal_corrected:${mealId}` })
            .onConflictDoUpdate({
              target: [weeklyInsightStaleMarks.userId, weeklyInsightStaleMarks.weekStart],
              set: { markedAt: values.analyzedAt, reason: `meal_corrected:${mealId}` },
            });
        }
        return true;
      });
    },

    /** Marks a still-pending revision failed with its reason; an applied revision stays applied. */
    async fail(mealId: string, revision: number, reason: string): Promise<void> {
      await db
        .update(mealCorrections)
        .set({ status: 'failed', failureReason: reason })
        .where(pending(mealId, revision));
    },

    /** When the week's insight was last marked stale, if ever. */
    async staleMark(userId: string, weekStart: string): Promise<Date | undefined> {
      const rows = await db
        .select({ markedAt: weeklyInsightStaleMarks.markedAt })
        .from(weeklyInsightStaleMarks)
        .where(and(eq(weeklyInsightStaleMarks.userId, userId), eq(weeklyInsightStaleMarks.weekStart, weekStart)))
        .limit(1);
      return rows[0]?.markedAt;
    },
  };
}

export type MealCorrectionRepository = ReturnType<typeof createMealCorrectionRepository>;
