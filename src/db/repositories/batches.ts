import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { mealBatches } from '../schema';

export type BatchRow = typeof mealBatches.$inferSelect;

export function createBatchRepository(db: Db) {
  return {
    async insert(batch: Omit<BatchRow, 'createdAt'>): Promise<void> {
      await db.insert(mealBatches).values(batch).onConflictDoNothing({ target: mealBatches.id });
    },
    async delete(id: string): Promise<void> {
      await db.delete(mealBatches).where(eq(mealBatches.id, id));
    },
    /** The batch only if it belongs to `userId`: another user's batch reads as absent. */
    async getOwned(id: string, userId: string): Promise<BatchRow | undefined> {
      const rows = await db
        .select()
        .from(mealBatches)
        .where(and(eq(mealBatches.id, id), eq(mealBatches.userId, userId)))
        .limit(1);
      return rows[0];
    },
  };
}

export type BatchRepository = ReturnType<typeof createBatchRepository>;
