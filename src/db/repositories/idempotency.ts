import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { idempotencyKeys } from '../schema';

export interface IdempotencyRecord {
  requestHash: string;
  resourceType: string;
  resourceId: string;
}

/** Idempotency-Key records, scoped per user: two users may use the same key. */
export function createIdempotencyRepository(db: Db, ttlHours: number) {
  const fresh = () => new Date(Date.now() - ttlHours * 3600_000);
  return {
    async find(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
      const rows = await db
        .select()
        .from(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), gt(idempotencyKeys.createdAt, fresh())),
        )
        .limit(1);
      return rows[0];
    },

    /** Claims the key; false when another request claimed it first (then `find` returns theirs). */
    async claim(tx: Db, userId: string, key: string, rec: IdempotencyRecord): Promise<boolean> {
      // An expired record for the same key is replaced rather than blocking the key forever.
      await tx
        .delete(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, fresh())),
        );
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ userId, key, ...rec })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      return inserted.length === 1;
    },

    async release(userId: string, key: string): Promise<void> {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
