import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { crisisCases, crisisEvents, journalEntries } from '../schema';

/**
 * What the staff console reads beyond the crisis repository: the live feed of timeline events (by
 * `crisis_events.feed_seq`, migration 0006), the queue of cases still in someone's hands, and a person's
 * recent screenings (tiers and dates, never text).
 */

export interface FeedRow {
  seq: number;
  caseId: string;
  type: string;
}

export type QueueRow = typeof crisisCases.$inferSelect & { notified: string | null };

export function createConsoleRepository(db: Db) {
  return {
    async latestSeq(): Promise<number> {
      const rows = await db.execute<{ seq: string | null }>(
        sql`select max(feed_seq)::text as seq from app.crisis_events`,
      );
      return Number(rows[0]?.seq ?? 0);
    },

    /** Events at positions after `after` (ids and types only), oldest first. */
    async feedSince(after: number, limit: number): Promise<FeedRow[]> {
      const rows = await db.execute<{ seq: string; case_id: string; type: string }>(
        sql`select feed_seq::text as seq, case_id, type from app.crisis_events
            where feed_seq > ${after} order by feed_seq limit ${limit}`,
      );
      return rows.map((r) => ({ seq: Number(r.seq), caseId: r.case_id, type: r.type }));
    },

    /**
     * Cases not yet closed: unacknowledged ones first, soonest acknowledgement deadline first; then the rest by
     * age. `notified` is the role the latest notification went to.
     */
    async queue(limit: number): Promise<QueueRow[]> {
      const rows = await db
        .select()
        .from(crisisCases)
        .where(sql`${crisisCases.status} <> 'closed'`)
        .orderBy(
          sql`(${crisisCases.status} = 'open') desc`,
          sql`${crisisCases.ackDeadline} asc nulls last`,
          crisisCases.openedAt,
        )
        .limit(limit);
      if (rows.length === 0) return [];
      const notices = await db
        .select({ caseId: crisisEvents.caseId, data: crisisEvents.data })
        .from(crisisEvents)
        .where(
          and(
            inArray(
              crisisEvents.caseId,
              rows.map((r) => r.id),
            ),
            inArray(crisisEvents.type, ['notified', 'renotified']),
          ),
        )
        .orderBy(crisisEvents.at, crisisEvents.seq);
      const latest = new Map<string, string>();
      for (const n of notices) {
        const recipient = (n.data as { recipient?: unknown }).recipient;
        if (typeof recipient === 'string') latest.set(n.caseId, recipient);
      }
      return rows.map((r) => ({ ...r, notified: latest.get(r.id) ?? null }));
    },

    /** The person's latest screened entries: id, date, mood and the stored screening (no text). */
    async recentScreenings(userId: string, limit: number) {
      return db
        .select({
          id: journalEntries.id,
          createdAt: journalEntries.createdAt,
          mood: journalEntries.mood,
          screening: journalEntries.screening,
        })
        .from(journalEntries)
        .where(and(eq(journalEntries.userId, userId), isNotNull(journalEntries.screening)))
        .orderBy(desc(journalEntries.createdAt))
        .limit(limit);
    },
  };
}

export type ConsoleRepository = ReturnType<typeof createConsoleRepository>;
