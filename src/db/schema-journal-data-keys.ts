import { pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Per-person journal data keys (migration 0015_journal_data_keys, docs/account-lifecycle.md, Crypto-shredding).
 * One row per person who has written a journal entry: their data key, only ever stored wrapped (AES-256-GCM
 * under the deployment key `wrapping_key_id`). Erasure deletes the row, which makes every v2 journal text of
 * theirs unreadable, wherever a copy of it lies.
 */
const app = pgSchema('app');

export const journalDataKeys = app.table('journal_data_keys', {
  userId: text('user_id').primaryKey(),
  /** Random id written into every text the key seals (`v2:<keyId>:…`). */
  keyId: text('key_id').notNull(),
  /** The deployment key (WELLFLOW_ENCRYPTION_KEY id) the data key is wrapped under. */
  wrappingKeyId: text('wrapping_key_id').notNull(),
  /** base64 of nonce + wrapped key + tag (src/crypto/data-keys.ts). */
  wrappedKey: text('wrapped_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  rewrappedAt: timestamp('rewrapped_at', { withTimezone: true }),
});
