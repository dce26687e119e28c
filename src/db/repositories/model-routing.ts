import { and, eq, gte, sql } from 'drizzle-orm';
import type { CanaryCounts } from '../../domain/models/canary';
import type { ModelRoute } from '../../domain/models/routing';
import type { Db } from '../client';
import { modelRecognitions, modelRouting } from '../schema';

export interface ModelRef {
  model: string;
  /** Undefined: the model server's default version. */
  version?: string;
}

export interface Routing {
  current: ModelRef;
  candidate?: ModelRef;
  canaryShare: number;
  canarySince?: Date;
  retrainingId?: string;
}

export type RecognitionOutcome = 'recognized' | 'needs_input' | 'error';

const ref = (model: string, version: string | null): ModelRef => ({ model, ...(version ? { version } : {}) });

/**
 * Which model version serves photos (docs/model-retraining.md, Canary): the routing row, and each photo meal's
 * recognition outcome by route. Canary writes are conditional on the retraining that owns the canary, so a
 * retried promote or rollback changes nothing twice and one run never ends another's canary.
 */
export function createModelRoutingRepository(db: Db, defaultModel: string) {
  // The slot is the configured model's name: a changed INFERENCE_MODEL starts from that model, not an old row.
  const slot = defaultModel;
  async function get(): Promise<Routing> {
    const rows = await db.select().from(modelRouting).where(eq(modelRouting.slot, slot)).limit(1);
    const r = rows[0];
    if (!r) return { current: { model: defaultModel }, canaryShare: 0 };
    return {
      current: ref(r.currentModel, r.currentVersion),
      ...(r.candidateModel ? { candidate: ref(r.candidateModel, r.candidateVersion) } : {}),
      canaryShare: r.candidateModel ? r.canaryShare : 0,
      ...(r.canarySince ? { canarySince: r.canarySince } : {}),
      ...(r.retrainingId ? { retrainingId: r.retrainingId } : {}),
    };
  }

  /** Writes the slot's row (created from the configured default on first use). */
  async function write(values: Partial<typeof modelRouting.$inferInsert>, onlyFor?: string): Promise<boolean> {
    await db
      .insert(modelRouting)
      .values({ slot, currentModel: defaultModel })
      .onConflictDoNothing({ target: modelRouting.slot });
    const owner = onlyFor === undefined ? sql`true` : eq(modelRouting.retrainingId, onlyFor);
    const out = await db
      .update(modelRouting)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(modelRouting.slot, slot), owner))
      .returning({ slot: modelRouting.slot });
    return out.length > 0;
  }

  return {
    get,

    /**
     * Starts (or resumes) a run's canary: the candidate and its share. Refused (false) while another run's
     * candidate holds the slot; the same run's retry keeps the first start time.
     */
    async startCanary(retrainingId: string, candidate: ModelRef, share: number): Promise<{ since: Date } | false> {
      const now = await get();
      if (now.candidate && now.retrainingId !== retrainingId) return false;
      if (now.candidate && now.canarySince) return { since: now.canarySince };
      const since = new Date();
      await write({
        candidateModel: candidate.model,
        candidateVersion: candidate.version ?? null,
        canaryShare: share,
        canarySince: since,
        retrainingId,
      });
      return { since };
    },

    /** The candidate becomes the model in use for every photo; a no-op when this run no longer owns the slot. */
    async promote(retrainingId: string, candidate: ModelRef): Promise<void> {
      await write(
        {
          currentModel: candidate.model,
          currentVersion: candidate.version ?? null,
          candidateModel: null,
          candidateVersion: null,
          canaryShare: 0,
          canarySince: null,
        },
        retrainingId,
      );
    },

    /** Every photo back on the model in use; a no-op when this run no longer owns the slot. */
    async rollback(retrainingId: string): Promise<void> {
      await write({ candidateModel: null, candidateVersion: null, canaryShare: 0, canarySince: null }, retrainingId);
    },

    /** The recognise step's outcome for one meal (the latest attempt's wins). */
    async recordRecognition(
      mealId: string,
      route: ModelRoute,
      model: ModelRef,
      outcome: RecognitionOutcome,
    ): Promise<void> {
      const values = { route, model: model.model, modelVersion: model.version ?? null, outcome, at: new Date() };
      await db
        .insert(modelRecognitions)
        .values({ mealId, slot, ...values })
        .onConflictDoUpdate({ target: modelRecognitions.mealId, set: values });
    },

    /** Recognitions per route since the canary began: what the canary watch compares. */
    async countsSince(since: Date): Promise<CanaryCounts> {
      const rows = await db
        .select({
          route: modelRecognitions.route,
          total: sql<number>`count(*)::int`,
          errors: sql<number>`count(*) filter (where ${modelRecognitions.outcome} = 'error')::int`,
          needsInput: sql<number>`count(*) filter (where ${modelRecognitions.outcome} = 'needs_input')::int`,
        })
        .from(modelRecognitions)
        .where(and(eq(modelRecognitions.slot, slot), gte(modelRecognitions.at, since)))
        .groupBy(modelRecognitions.route);
      const of = (route: ModelRoute) => {
        const r = rows.find((x) => x.route === route);
        return { total: r?.total ?? 0, errors: r?.errors ?? 0, needsInput: r?.needsInput ?? 0 };
      };
      return { current: of('current'), candidate: of('candidate') };
    },
  };
}

export type ModelRoutingRepository = ReturnType<typeof createModelRoutingRepository>;
