import { randomUUID } from 'node:crypto';
import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { crisisCases, crisisEvents } from '../schema';

export type CaseRow = typeof crisisCases.$inferSelect;
export type CaseEventRow = typeof crisisEvents.$inferSelect;

/** Case fields an event may change (timestamps as ISO strings, null clears). */
export interface CasePatch {
  status?: string;
  tier?: string;
  level?: number;
  ackDeadline?: string | null;
  acknowledgedBy?: string | null;
  acknowledgedAt?: string | null;
  outcome?: string;
  resolvedAt?: string;
  closedAt?: string;
}

const date = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));

export function createCrisisRepository(db: Db) {
  return {
    /**
     * Appends an event to a case's timeline and applies its patch, once: the event key makes a retried
     * activity a no-op. The case row is created by its first event. `announce` runs in the same transaction
     * with the case row as the entry left it, only when the entry was new: a domain event queued there commits
     * exactly when the entry does (never twice, never without it).
     */
    async recordEvent(
      e: {
        id?: string;
        caseId: string;
        userId: string;
        workflowId: string;
        eventKey: string;
        seq?: number;
        type: string;
        actor: string;
        at: Date;
        data: Record<string, unknown>;
        patch: CasePatch;
      },
      announce?: (tx: Db, row: CaseRow) => Promise<void>,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx
          .insert(crisisCases)
          .values({
            id: e.caseId,
            userId: e.userId,
            workflowId: e.workflowId,
            status: e.patch.status ?? 'open',
            tier: e.patch.tier ?? 'low',
            openedAt: e.at,
          })
          .onConflictDoNothing({ target: crisisCases.id });
        const inserted = await tx
          .insert(crisisEvents)
          .values({
            id: e.id ?? randomUUID(),
            caseId: e.caseId,
            eventKey: e.eventKey,
            seq: e.seq ?? 0,
            type: e.type,
            actor: e.actor,
            at: e.at,
            data: e.data,
          })
          .onConflictDoNothing({ target: crisisEvents.eventKey })
          .returning({ id: crisisEvents.id });
        if (inserted.length === 0) return false;
        const p = e.patch;
        const set = {
          ...(p.status !== undefined ? { status: p.status } : {}),
          ...(p.tier !== undefined ? { tier: p.tier } : {}),
          ...(p.level !== undefined ? { level: p.level } : {}),
          ...(p.ackDeadline !== undefined ? { ackDeadline: date(p.ackDeadline) } : {}),
          ...(p.acknowledgedBy !== undefined ? { acknowledgedBy: p.acknowledgedBy } : {}),
          ...(p.acknowledgedAt !== undefined ? { acknowledgedAt: date(p.acknowledgedAt) } : {}),
          ...(p.outcome !== undefined ? { outcome: p.outcome } : {}),
          ...(p.resolvedAt !== undefined ? { resolvedAt: date(p.resolvedAt) } : {}),
          ...(p.closedAt !== undefined ? { closedAt: date(p.closedAt) } : {}),
        };
        const where = eq(crisisCases.id, e.caseId);
        if (!announce) {
          if (Object.keys(set).length) await tx.update(crisisCases).set(set).where(where);
          return true;
        }
        const [row] = Object.keys(set).length
          ? await tx.update(crisisCases).set(set).where(where).returning()
          : await tx.select().from(crisisCases).where(where).limit(1);
        await announce(tx, row!);
        return true;
      });
    },
    async get(id: string): Promise<CaseRow | undefined> {
      return (await db.select().from(crisisCases).where(eq(crisisCases.id, id)).limit(1))[0];
    },
    async list(opts: { status?: string; limit: number }): Promise<CaseRow[]> {
      const q = db.select().from(crisisCases);
      return (opts.status ? q.where(eq(crisisCases.status, opts.status)) : q)
        .orderBy(desc(crisisCases.openedAt))
        .limit(opts.limit);
    },
    async timeline(caseId: string): Promise<CaseEventRow[]> {
      return db
        .select()
        .from(crisisEvents)
        .where(eq(crisisEvents.caseId, caseId))
        .orderBy(asc(crisisEvents.at), asc(crisisEvents.seq));
    },
  };
}

export type CrisisRepository = ReturnType<typeof createCrisisRepository>;
