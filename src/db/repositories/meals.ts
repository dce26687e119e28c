import { and, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { MealOutcome } from '../../domain/meals/vocabulary';
import type { MealEstimate } from '../../domain/nutrition/types';
import type { Db } from '../client';
import { mealAnalyses, meals } from '../schema';

export type MealRow = typeof meals.$inferSelect;
export type MealAnalysisRow = typeof mealAnalyses.$inferSelect;

export interface NewMeal {
  id: string;
  userId: string;
  description: string | null;
  eatenAt: Date;
  mealType: string;
  imageKey?: string | null;
  workflowId: string;
  batchId?: string | null;
  batchIndex?: number | null;
}

/** The largest instant a JavaScript Date holds (±8.64e15 ms, about year 275760). */
const DATE_LIMIT_MS = 8.64e15;

/**
 * A meal row as read: `eaten_at` comes back as epoch milliseconds, not as PostgreSQL's text. The text form does
 * not survive every stored value: `0049-06-01 00:00:00+00` is read by `new Date` as 2049, a date BC
 * (`0001-06-01 00:00:00+00 BC`) and an old date in a zone with a local-mean-time offset (`+00:53:28`) are
 * Invalid Dates, and one such meal made every list of its owner a 500. Epoch milliseconds are exact for every
 * date PostgreSQL stores that a Date can hold (and clamped beyond).
 */
const mealColumns = {
  ...getTableColumns(meals),
  eatenAt: sql<Date>`floor(extract(epoch from ${meals.eatenAt}) * 1000)`.mapWith(
    (v: unknown) => new Date(Math.max(-DATE_LIMIT_MS, Math.min(DATE_LIMIT_MS, Number(v)))),
  ),
};

/**
 * An instant as PostgreSQL reads it, for every year a Date holds: `toISOString` writes year 0 as `0000` (which
 * PostgreSQL refuses) and years beyond 9999 with a sign; PostgreSQL wants `0001 … BC` and plain digits.
 */
function pgInstant(d: Date): string {
  const year = d.getUTCFullYear();
  const digits = String(year <= 0 ? 1 - year : year).padStart(4, '0');
  return `${digits}${d.toISOString().replace(/^[+-]?\d+/, '')}${year <= 0 ? ' BC' : ''}`;
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

    async deleteBatch(batchId: string): Promise<void> {
      await db.delete(meals).where(eq(meals.batchId, batchId));
    },

    async get(id: string): Promise<MealRow | undefined> {
      const rows = await db.select(mealColumns).from(meals).where(eq(meals.id, id)).limit(1);
      return rows[0];
    },

    /** The meal only if it belongs to `userId`: another user's meal reads as absent. */
    async getOwned(id: string, userId: string): Promise<{ meal: MealRow; analysis?: MealAnalysisRow } | undefined> {
      const rows = await db
        .select({ meals: mealColumns, meal_analyses: getTableColumns(mealAnalyses) })
        .from(meals)
        .leftJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(eq(meals.id, id), eq(meals.userId, userId)))
        .limit(1);
      const row = rows[0];
      return row ? { meal: row.meals, analysis: row.meal_analyses ?? undefined } : undefined;
    },

    /** Newest first by (eatenAt, id); `after` is the last row of the previous page. */
    async listOwned(opts: {
      userId: string;
      from?: Date;
      to?: Date;
      after?: { eatenAt: Date; id: string };
      limit: number;
    }) {
      const conds = [eq(meals.userId, opts.userId)];
      if (opts.from) conds.push(gte(meals.eatenAt, opts.from));
      if (opts.to) conds.push(lt(meals.eatenAt, opts.to));
      if (opts.after) {
        const at = sql`${pgInstant(opts.after.eatenAt)}::timestamptz`;
        conds.push(
          or(sql`${meals.eatenAt} < ${at}`, and(sql`${meals.eatenAt} = ${at}`, sql`${meals.id} < ${opts.after.id}`))!,
        );
      }
      return db
        .select({ meals: mealColumns, meal_analyses: getTableColumns(mealAnalyses) })
        .from(meals)
        .leftJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(...conds))
        .orderBy(desc(meals.eatenAt), desc(meals.id))
        .limit(opts.limit + 1);
    },

    /** Many meals at once (a batch); idempotent like `insert`. */
    async insertMany(rows: NewMeal[]): Promise<void> {
      if (rows.length) await db.insert(meals).values(rows).onConflictDoNothing({ target: meals.id });
    },

    /** Meals of a batch in submission order, with their outcome. */
    async listBatch(batchId: string) {
      return db
        .select({ id: meals.id, outcome: meals.outcome, outcomeReason: meals.outcomeReason })
        .from(meals)
        .where(eq(meals.batchId, batchId))
        .orderBy(meals.batchIndex);
    },

    /**
     * Sum of the analysed meals a person ate in [from, to), excluding one meal (the one being analysed), added up
     * by PostgreSQL per nutrient: one row per nutrient comes back however many meals the day holds (a person
     * logging every snack, or a load test logging thousands of meals for one person, used to ship every row's
     * totals to the worker to be added up there). Non-numeric values count as 0, as they always did.
     */
    async totalsBetween(userId: string, from: Date, to: Date, excludeMealId: string): Promise<Record<string, number>> {
      const day = db
        .select({ totals: mealAnalyses.totals })
        .from(meals)
        .innerJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(
          and(
            eq(meals.userId, userId),
            gte(meals.eatenAt, from),
            lt(meals.eatenAt, to),
            sql`${meals.id} <> ${excludeMealId}`,
            or(isNull(meals.outcome), eq(meals.outcome, 'completed')),
          ),
        )
        .as('day');
      const nutrient = sql<string>`t.key`;
      const rows = await db
        .select({
          key: nutrient,
          sum: sql<string>`sum(case when jsonb_typeof(t.value) = 'number' then (t.value #>> '{}')::float8 else 0 end)`,
        })
        .from(day)
        .innerJoin(sql`jsonb_each(${day.totals}) as t`, sql`true`)
        .groupBy(nutrient);
      return Object.fromEntries(rows.map((r) => [r.key, Number(r.sum)]));
    },

    /** The description a person gave while the meal waited in needs_input (stored with the analysis). */
    async setDescription(mealId: string, description: string): Promise<void> {
      await db.update(meals).set({ description }).where(eq(meals.id, mealId));
    },

    /** The analysis; its warnings are written by `close`, when the run knows them all. */
    async upsertAnalysis(
      mealId: string,
      estimate: MealEstimate,
      feedback: unknown[],
      /** The recogniser version behind a photo meal's analysis (docs/model-retraining.md). */
      model?: { model: string; version?: string | undefined },
    ): Promise<void> {
      const values = {
        items: estimate.items,
        totals: estimate.totals,
        feedback,
        confidence: estimate.confidence,
        foodTableVersion: estimate.foodTableVersion,
        model: model?.model ?? null,
        modelVersion: model?.version ?? null,
      };
      await db
        .insert(mealAnalyses)
        .values({ mealId, ...values, warnings: [] })
        .onConflictDoUpdate({ target: mealAnalyses.mealId, set: { ...values, analyzedAt: new Date() } });
    },

    /**
     * The outcome, its steps and (for a completed meal) the analysis's final warnings, in one statement, so
     * atomically and in one round trip (it was a transaction of five). First outcome wins: a retried or
     * duplicated close never overwrites it. `announce` adds CTEs to the same statement (an event queued by
     * `queueDomainEventCte`), given the close time and a query that returns a row only when this call set the
     * outcome: what they write exists exactly when the close happened. Returns whether this call closed it.
     */
    async close(
      mealId: string,
      outcome: MealOutcome,
      reason: string | undefined,
      steps: unknown[],
      warnings?: string[],
      announce?: (closedAt: Date, closedNow: SQL) => SQL,
    ): Promise<boolean> {
      const closedAt = new Date();
      const setOutcome = db
        .update(meals)
        .set({ outcome, outcomeReason: reason ?? null, closedAt, steps })
        .where(and(eq(meals.id, mealId), isNull(meals.outcome)))
        .returning({ id: meals.id });
      const ctes = [sql`closed as ${setOutcome}`];
      if (warnings) {
        const setWarnings = db
          .update(mealAnalyses)
          .set({ warnings })
          .where(sql`${mealAnalyses.mealId} in (select id from closed)`)
          .returning({ id: mealAnalyses.mealId });
        ctes.push(sql`warned as ${setWarnings}`);
      }
      if (announce) ctes.push(announce(closedAt, sql`select 1 from closed`));
      const rows = (await db.execute(
        sql`with ${sql.join(ctes, sql`, `)} select count(*)::int as closed from closed`,
      )) as unknown as { closed: number }[];
      return (rows[0]?.closed ?? 0) > 0;
    },

    /** Closes meals whose run never started (a cancelled batch); meals that already have an outcome keep it. */
    async closeMany(mealIds: string[], outcome: MealOutcome, reason: string): Promise<void> {
      if (mealIds.length) {
        await db
          .update(meals)
          .set({ outcome, outcomeReason: reason, closedAt: new Date(), steps: [] })
          .where(and(inArray(meals.id, mealIds), isNull(meals.outcome)));
      }
    },
  };
}

export type MealRepository = ReturnType<typeof createMealRepository>;
