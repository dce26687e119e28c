import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accountErasures, journalDataKeys } from '../schema';

/** A wrapped data key as src/crypto/data-keys.ts handles it (structurally its WrappedDataKey). */
export interface StoredDataKey {
  keyId: string;
  wrappingKeyId: string;
  wrapped: string;
}

/**
 * Wrapped per-person journal data keys (the store of src/crypto/person-cipher.ts). A key is inserted once and
 * never replaced: "on conflict do nothing" lets concurrent first writes race safely (the loser re-reads the
 * winner's key), and no key is created for a person who is marked erased, so erasure's destruction is final.
 */
export function createJournalDataKeyRepository(db: Db) {
  return {
    async get(userId: string): Promise<StoredDataKey | undefined> {
      const rows = await db
        .select({
          keyId: journalDataKeys.keyId,
          wrappingKeyId: journalDataKeys.wrappingKeyId,
          wrapped: journalDataKeys.wrappedKey,
        })
        .from(journalDataKeys)
        .where(eq(journalDataKeys.userId, userId))
        .limit(1);
      return rows[0];
    },

    async insertIfAbsent(userId: string, key: StoredDataKey): Promise<void> {
      await db.execute(sql`
        insert into ${journalDataKeys} (user_id, key_id, wrapping_key_id, wrapped_key)
        select ${userId}, ${key.keyId}, ${key.wrappingKeyId}, ${key.wrapped}
        where not exists (select 1 from ${accountErasures} where ${accountErasures.userId} = ${userId})
        on conflict (user_id) do nothing`);
    },

    /** Conditional on the key and wrapping still being `from`: a lost race changes nothing. */
    async rewrap(userId: string, from: StoredDataKey, to: StoredDataKey): Promise<void> {
      await db
        .update(journalDataKeys)
        .set({ wrappingKeyId: to.wrappingKeyId, wrappedKey: to.wrapped, rewrappedAt: new Date() })
        .where(
          and(
            eq(journalDataKeys.userId, userId),
            eq(journalDataKeys.keyId, from.keyId),
            eq(journalDataKeys.wrappingKeyId, from.wrappingKeyId),
          ),
        );
    },
  };
}

export type JournalDataKeyRepository = ReturnType<typeof createJournalDataKeyRepository>;
