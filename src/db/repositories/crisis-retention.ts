import { and, asc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { CaseStatus } from '../../domain/crisis/types';
import type { Db } from '../client';
import { accountErasures, crisisCases, crisisEvents, maintenanceRuns } from '../schema';

/**
 * The retention of crisis cases kept after their person's erasure (docs/account-lifecycle.md, "Crisis cases").
 * A case goes only when all of these hold: its person's erasure has completed, the case is `closed` (no run,
 * follow-up or staff work left on it: `open`, `acknowledged` and `resolved` cases are still being worked), and
 * it closed before the cutoff (the period counts from closure). Everything else is never read for writing.
 */
const DELETABLE_STATUS: CaseStatus = 'closed';

/** Where a run keeps its running tally in `maintenance_runs.result` until `finish` replaces it with the summary. */
const TALLY_KEY = 'crisisCaseRetention';

export interface RetainedCaseTally {
  cases: number;
  timelineEvents: number;
}

export function createCrisisRetentionRepository(db: Db) {
  const expiredRetainedCase = (cutoff: Date) =>
    and(
      inArray(
        crisisCases.userId,
        db
          .select({ userId: accountErasures.userId })
          .from(accountErasures)
          .where(isNotNull(accountErasures.completedAt)),
      ),
      eq(crisisCases.status, DELETABLE_STATUS),
      lt(crisisCases.closedAt, cutoff),
    );
  return {
    /**
     * Deletes up to `limit` expired retained cases with their timelines (staff notes included) and adds what it
     * deleted to the run's tally, all in one transaction: a case is either untouched or gone and counted, so the
     * tally is exact however often a pass is retried. The cases are locked while their timelines go.
     */
    async deleteExpired(cutoff: Date, limit: number, runId: string): Promise<RetainedCaseTally> {
      return db.transaction(async (tx) => {
        const picked = await tx
          .select({ id: crisisCases.id })
          .from(crisisCases)
          .where(expiredRetainedCase(cutoff))
          .orderBy(asc(crisisCases.closedAt), asc(crisisCases.id))
          .limit(limit)
          .for('update');
        if (picked.length === 0) return { cases: 0, timelineEvents: 0 };
        const ids = picked.map((c) => c.id);
        // The foreign key cascades too; deleting explicitly is what lets the run count them.
        const events = await tx
          .delete(crisisEvents)
          .where(inArray(crisisEvents.caseId, ids))
          .returning({ id: crisisEvents.id });
        const cases = await tx
          .delete(crisisCases)
          .where(inArray(crisisCases.id, ids))
          .returning({ id: crisisCases.id });
        const tally = { cases: cases.length, timelineEvents: events.length };
        const prior = sql`coalesce(${maintenanceRuns.result} -> ${TALLY_KEY}::text, '{}'::jsonb)`;
        await tx
          .update(maintenanceRuns)
          .set({
            result: sql`coalesce(${maintenanceRuns.result}, '{}'::jsonb) || jsonb_build_object(${TALLY_KEY}::text,
              jsonb_build_object(
                'cases', coalesce((${prior} ->> 'cases')::int, 0) + ${tally.cases}::int,
                'timelineEvents', coalesce((${prior} ->> 'timelineEvents')::int, 0) + ${tally.timelineEvents}::int))`,
          })
          .where(eq(maintenanceRuns.runId, runId));
        return tally;
      });
    },

    /** What the run has deleted so far (absolute, from its tally): exact even when a pass's result was lost. */
    async tallyForRun(runId: string): Promise<RetainedCaseTally> {
      const rows = await db
        .select({ tally: sql<Partial<RetainedCaseTally> | null>`${maintenanceRuns.result} -> ${TALLY_KEY}::text` })
        .from(maintenanceRuns)
        .where(eq(maintenanceRuns.runId, runId));
      const t = rows[0]?.tally ?? {};
      return { cases: Number(t.cases ?? 0), timelineEvents: Number(t.timelineEvents ?? 0) };
    },
  };
}

export type CrisisRetentionRepository = ReturnType<typeof createCrisisRetentionRepository>;
