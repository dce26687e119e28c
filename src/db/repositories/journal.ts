import { and, asc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { rescreenWindowStart } from '../../contracts/journal-rescreen';
import type { Db } from '../client';
import { journalEntries } from '../schema';

export type JournalRow = typeof journalEntries.$inferSelect;

/**
 * A stored screening: the final tier and both signals behind it (rule ids, categories and offsets, never
 * words; the model's scores). Entries screened before the learned model existed have only the rule fields.
 */
export interface StoredScreening {
  tier: string;
  rules: string[];
  spans: { start: number; end: number }[];
  ruleVersion: string;
  thirdParty: boolean;
  /** The rules' own tier, the C-SSRS-like categories that raised it, and which signal set the final tier. */
  rulesTier?: string;
  categories?: string[];
  source?: 'both' | 'rules' | 'model' | 'none';
  model?: { version: string; tier: string; scores: Record<string, number>; uncertain: boolean };
  /** Rules and model versions together: re-screening skips entries already screened at this version. */
  screenerVersion?: string;
  /**
   * Set by a re-screen (journalRescreen): the tier and version this screening replaced, so staff see what a
   * new screener changed. Null fields: the entry had no screening, or one from before versions were stored.
   */
  previous?: { tier: string | null; screenerVersion: string | null };
}

/** An entry a re-screen still has to screen: its id, owner, encrypted text and keyset cursor. */
export interface RescreenCandidate {
  id: string;
  userId: string;
  textEncrypted: string;
  locale: string;
  screening: StoredScreening | null;
  /** `<created_at, microseconds, UTC>|<id>`: the keyset position after this entry. */
  cursor: string;
}

// created_at has microseconds; a JS Date keeps milliseconds, so the cursor keeps PostgreSQL's own text.
const CURSOR_RE =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The (created_at, id) a re-screen cursor names; a RangeError for anything else. */
export function parseRescreenCursor(cursor: string): { createdAt: string; id: string } {
  const m = CURSOR_RE.exec(cursor);
  if (!m) throw new RangeError('not a re-screen cursor');
  return { createdAt: m[1]!, id: m[2]! };
}

/** NULL and entries screened before versions were stored count as "not at this version". */
const notAtVersion = (version: string) =>
  sql`(${journalEntries.screening} ->> 'screenerVersion') is distinct from ${version}`;

/** The entries a re-screen from `since` works through: with text, written since then, not at `version`. */
const rescreenable = (since: Date, version: string) =>
  and(isNotNull(journalEntries.textEncrypted), gte(journalEntries.createdAt, since), notAtVersion(version));

export function createJournalRepository(db: Db) {
  return {
    async insert(row: Omit<JournalRow, 'createdAt' | 'screening' | 'screenedAt' | 'textDeletedAt'>): Promise<void> {
      await db.insert(journalEntries).values(row).onConflictDoNothing({ target: journalEntries.id });
    },
    async delete(id: string): Promise<void> {
      await db.delete(journalEntries).where(eq(journalEntries.id, id));
    },
    async get(id: string): Promise<JournalRow | undefined> {
      return (await db.select().from(journalEntries).where(eq(journalEntries.id, id)).limit(1))[0];
    },
    async getOwned(id: string, userId: string): Promise<JournalRow | undefined> {
      return (
        await db
          .select()
          .from(journalEntries)
          .where(and(eq(journalEntries.id, id), eq(journalEntries.userId, userId)))
          .limit(1)
      )[0];
    },
    /**
     * Up to `limit` entries with text, created at or after `since`, whose screening is not at `version`
     * (NULL included), in (created_at, id) order after `after`. Entries already at the version are skipped by
     * the query itself: that is what makes a retried page or a second re-screen a no-op for them.
     */
    async listForRescreen(q: { since: Date; after?: string; limit: number; version: string }) {
      const after = q.after ? parseRescreenCursor(q.after) : undefined;
      const rows = await db
        .select({
          id: journalEntries.id,
          userId: journalEntries.userId,
          textEncrypted: journalEntries.textEncrypted,
          locale: journalEntries.locale,
          screening: journalEntries.screening,
          createdAtKey: sql<string>`to_char(${journalEntries.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        })
        .from(journalEntries)
        .where(
          and(
            rescreenable(q.since, q.version),
            after
              ? sql`(${journalEntries.createdAt}, ${journalEntries.id}) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(journalEntries.createdAt), asc(journalEntries.id))
        .limit(q.limit);
      return rows.map((r): RescreenCandidate => ({
        id: r.id,
        userId: r.userId,
        textEncrypted: r.textEncrypted!,
        locale: r.locale,
        screening: r.screening as StoredScreening | null,
        cursor: `${r.createdAtKey}|${r.id}`,
      }));
    },
    /**
     * How many entries a re-screen would work through now, for each window (`days` back from `now`): one scan
     * of the widest window, counted per window, so staff see the backlog a screener change left.
     */
    async countForRescreen(q: { now: Date; days: readonly number[]; version: string }) {
      if (q.days.length === 0) return [];
      const since = (d: number) => rescreenWindowStart(q.now.getTime(), d);
      const counts = q.days.map(
        (d) => sql`count(*) filter (where ${journalEntries.createdAt} >= ${since(d).toISOString()}::timestamptz)::int`,
      );
      const [row] = await db
        .select({ counts: sql<number[]>`array[${sql.join(counts, sql`, `)}]` })
        .from(journalEntries)
        .where(rescreenable(since(Math.max(...q.days)), q.version));
      return q.days.map((days, i) => ({ days, entries: row?.counts[i] ?? 0 }));
    },
    /**
     * Stores a re-screen's result unless the entry is already at `version` (another run or the entry's own
     * screening got there first). True when this call wrote it: the version is stored once per entry.
     */
    async setScreeningUnlessAt(id: string, screening: StoredScreening, version: string): Promise<boolean> {
      const written = await db
        .update(journalEntries)
        .set({ screening, screenedAt: new Date() })
        .where(and(eq(journalEntries.id, id), notAtVersion(version)))
        .returning({ id: journalEntries.id });
      return written.length > 0;
    },
    /** Idempotent: a retried screening writes the same result again. */
    async setScreening(id: string, screening: StoredScreening): Promise<void> {
      await db.update(journalEntries).set({ screening, screenedAt: new Date() }).where(eq(journalEntries.id, id));
    },
  };
}

export type JournalRepository = ReturnType<typeof createJournalRepository>;
