import { and, asc, desc, eq, gt, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { mealAnalyses, mealCorrections, meals, modelRetrainings, modelRetrainingSteps } from '../schema';

export type RetrainingRow = typeof modelRetrainings.$inferSelect;
export type RetrainingStepRow = typeof modelRetrainingSteps.$inferSelect;

/** A photo a person labelled: its stored image and the label their correction or confirmation gave it. */
export interface LabelledPhoto {
  mealId: string;
  imageKey: string;
  label: string;
}

/** How long the labelled-set query may read: a month of corrections is thousands of rows, not millions. */
const MAX_LABELLED = 50_000;

/**
 * Retraining runs (docs/model-retraining.md): one row per run, keyed by its workflow id, with its recorded steps.
 * Writes are keyed by the run (and the step's key), so a retried activity changes nothing twice.
 */
export function createModelRetrainingRepository(db: Db) {
  async function get(id: string): Promise<RetrainingRow | undefined> {
    const rows = await db.select().from(modelRetrainings).where(eq(modelRetrainings.id, id)).limit(1);
    return rows[0];
  }

  return {
    get,

    /**
     * Creates the run's row, or finds it on a retry. Returns the unfinished run that blocks it instead when
     * another one is still going (one at a time: they would fight over the canary).
     */
    async begin(id: string, requestedBy: string): Promise<{ row: RetrainingRow } | { blockedBy: string }> {
      const inserted = await db
        .insert(modelRetrainings)
        .values({ id, requestedBy, status: 'running' })
        .onConflictDoNothing()
        .returning();
      const row = inserted[0] ?? (await get(id));
      if (row) return { row };
      const active = await this.active();
      return { blockedBy: active?.id ?? 'another run' };
    },

    async active(): Promise<RetrainingRow | undefined> {
      const rows = await db.select().from(modelRetrainings).where(isNull(modelRetrainings.finishedAt)).limit(1);
      return rows[0];
    },

    async update(id: string, values: Partial<Omit<RetrainingRow, 'id'>>): Promise<void> {
      await db.update(modelRetrainings).set(values).where(eq(modelRetrainings.id, id));
    },

    /** Records the training job before the wait begins; the first job recorded wins (a retried submit keeps it). */
    async recordJob(id: string, jobId: string): Promise<string> {
      await db
        .update(modelRetrainings)
        .set({ trainingJobId: jobId })
        .where(and(eq(modelRetrainings.id, id), isNull(modelRetrainings.trainingJobId)));
      return (await get(id))?.trainingJobId ?? jobId;
    },

    /** Ends the run with its status and report; only once (a retried finish keeps the first outcome). */
    async finish(id: string, status: string, report: unknown): Promise<void> {
      await db
        .update(modelRetrainings)
        .set({ status, report, finishedAt: new Date() })
        .where(and(eq(modelRetrainings.id, id), isNull(modelRetrainings.finishedAt)));
    },

    async recordStep(id: string, stepKey: string, step: string, detail: unknown): Promise<void> {
      await db.insert(modelRetrainingSteps).values({ retrainingId: id, stepKey, step, detail }).onConflictDoNothing();
    },

    async steps(id: string): Promise<RetrainingStepRow[]> {
      return db
        .select()
        .from(modelRetrainingSteps)
        .where(eq(modelRetrainingSteps.retrainingId, id))
        .orderBy(asc(modelRetrainingSteps.at), asc(modelRetrainingSteps.stepKey));
    },

    async recent(limit: number): Promise<RetrainingRow[]> {
      return db.select().from(modelRetrainings).orderBy(desc(modelRetrainings.startedAt)).limit(limit);
    },

    /** When the previous run took its snapshot: the labelled set starts after it (the epoch for the first run). */
    async previousSnapshotAt(id: string): Promise<Date> {
      const rows = await db
        .select({ at: sql<Date>`max(${modelRetrainings.startedAt})` })
        .from(modelRetrainings)
        .where(and(ne(modelRetrainings.id, id), isNotNull(modelRetrainings.manifestPath)));
      const at = rows[0]?.at;
      return at ? new Date(at) : new Date(0);
    },

    /**
     * Photo meals whose recognition a person corrected after `since`: the latest applied revision of each, its
     * first recognised item as the label. Only meals whose photo is still stored (retention deletes old ones).
     */
    async correctedPhotos(since: Date): Promise<LabelledPhoto[]> {
      const rows = await db
        .selectDistinctOn([mealCorrections.mealId], {
          mealId: mealCorrections.mealId,
          imageKey: meals.imageKey,
          items: mealCorrections.items,
        })
        .from(mealCorrections)
        .innerJoin(meals, eq(meals.id, mealCorrections.mealId))
        .where(
          and(eq(mealCorrections.status, 'applied'), gt(mealCorrections.correctedAt, since), isNotNull(meals.imageKey)),
        )
        .orderBy(mealCorrections.mealId, desc(mealCorrections.revision))
        .limit(MAX_LABELLED);
      return rows.flatMap((r) => {
        const label = firstRecognised(r.items);
        return r.imageKey && label ? [{ mealId: r.mealId, imageKey: r.imageKey, label }] : [];
      });
    },

    /**
     * Photo meals whose analysis the person confirmed after `since` (POST /v1/meals/{id}/confirm): the first
     * recognised item of the analysis they confirmed as the label.
     */
    async confirmedPhotos(since: Date): Promise<LabelledPhoto[]> {
      const rows = await db
        .select({ mealId: meals.id, imageKey: meals.imageKey, items: mealAnalyses.items })
        .from(meals)
        .innerJoin(mealAnalyses, eq(mealAnalyses.mealId, meals.id))
        .where(and(gt(meals.confirmedAt, since), isNotNull(meals.imageKey)))
        .orderBy(meals.confirmedAt)
        .limit(MAX_LABELLED);
      return rows.flatMap((r) => {
        const label = firstRecognised(r.items);
        return r.imageKey && label ? [{ mealId: r.mealId, imageKey: r.imageKey, label }] : [];
      });
    },
  };
}

/** The label of an analysis: its first recognised item's food. */
function firstRecognised(items: unknown): string | undefined {
  const list = (Array.isArray(items) ? items : []) as { foodId?: string | null; recognized?: boolean }[];
  return list.find((i) => i.recognized && i.foodId)?.foodId ?? undefined;
}

export type ModelRetrainingRepository = ReturnType<typeof createModelRetrainingRepository>;
