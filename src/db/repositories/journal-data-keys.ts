import { and, asc, eq, gt, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accountErasures, journalDataKeys, journalEntries } from '../schema';

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

    /** People whose key is wrapped under another deployment key than `active`, by user id after `after`. */
    async wrappedUnderOther(active: string, after: string, limit: number): Promise<string[]> {
      const rows = await db
        .select({ userId: journalDataKeys.userId })
        .from(journalDataKeys)
        .where(and(ne(journalDataKeys.wrappingKeyId, active), gt(journalDataKeys.userId, after)))
        .orderBy(asc(journalDataKeys.userId))
        .limit(limit);
      return rows.map((r) => r.userId);
    },

    /**
     * Journal entries still sealed as v1 (the deployment key ring), by id after `after`. No index serves the
     * prefix filter: it is an occasional operator job that walks the table once in id order.
     */
    async v1Entries(after: string | undefined, limit: number) {
      return db
        .select({ id: journalEntries.id, userId: journalEntries.userId, text: journalEntries.textEncrypted })
        .from(journalEntries)
        .where(and(like(journalEntries.textEncrypted, 'v1:%'), after ? gt(journalEntries.id, after) : undefined))
        .orderBy(asc(journalEntries.id))
        .limit(limit);
    },

    /** Replaces an entry's stored text only while it is still `from` (retention or erasure may have won). */
    async replaceText(id: string, from: string, to: string): Promise<boolean> {
      const rows = await db
        .update(journalEntries)
        .set({ textEncrypted: to })
        .where(and(eq(journalEntries.id, id), eq(journalEntries.textEncrypted, from)))
        .returning({ id: journalEntries.id });
      return rows.length === 1;
    },
  };
}

export type JournalDataKeyRepository = ReturnType<typeof createJournalDataKeyRepository>;
