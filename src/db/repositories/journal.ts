import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { journalEntries } from '../schema';

export type JournalRow = typeof journalEntries.$inferSelect;

export interface StoredScreening {
  tier: string;
  rules: string[];
  spans: { start: number; end: number }[];
  ruleVersion: string;
  thirdParty: boolean;
}

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
    /** Idempotent: a retried screening writes the same result again. */
    async setScreening(id: string, screening: StoredScreening): Promise<void> {
      await db.update(journalEntries).set({ screening, screenedAt: new Date() }).where(eq(journalEntries.id, id));
    },
  };
}

export type JournalRepository = ReturnType<typeof createJournalRepository>;
