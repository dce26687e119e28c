import { DataKeyUnavailableError, type PersonCipher } from './person-cipher';
import { UnreadableTextError } from './unreadable-text';

/** What the job needs of the key table and the journal rows (src/db/repositories/journal-data-keys.ts). */
export interface JournalKeyMigrationStore {
  wrappedUnderOther(active: string, after: string, limit: number): Promise<string[]>;
  v1Entries(after: string | undefined, limit: number): Promise<{ id: string; userId: string; text: string | null }[]>;
  replaceText(id: string, from: string, to: string): Promise<boolean>;
}

export interface JournalKeyMigrationReport {
  /** Data keys re-wrapped under the active deployment key. */
  rewrapped: number;
  /** Data keys that could not be unwrapped (their deployment key is no longer configured, or tampered). */
  keysUnreadable: number;
  /** v1 entries now stored as v2 under their person's key. */
  reencrypted: number;
  /** v1 entries left as they were: unreadable (a retired key, tampered), their person erased, or changed meanwhile. */
  skipped: number;
}

/**
 * Rows per page. Why 200: one page is 200 small updates (a few hundred milliseconds) and 200 texts in memory,
 * and a crash or Ctrl-C loses at most a page of progress, which the next run redoes.
 */
export const MIGRATION_PAGE = 200;

/**
 * The operator job behind `wellflow journal-keys migrate` (docs/account-lifecycle.md, Crypto-shredding):
 * 1. every data key wrapped under a deployment key other than the active one is re-wrapped under it, so an old
 *    deployment key can be retired without waiting for each person to come back;
 * 2. every journal entry still sealed as v1 (under the deployment key ring) is re-encrypted as v2 under its
 *    person's data key, so an erasure shreds it too (backups taken before still hold the v1 text until they
 *    age out).
 * Idempotent and resumable: every write is conditional on the row being as read, a second run finds nothing
 * to do, and a run stopped half-way is finished by the next. Ids and counts only in its report.
 */
export async function migrateJournalKeys(deps: {
  cipher: PersonCipher;
  store: JournalKeyMigrationStore;
  activeWrappingKeyId: string;
  pageSize?: number;
}): Promise<JournalKeyMigrationReport> {
  const { cipher, store } = deps;
  const limit = deps.pageSize ?? MIGRATION_PAGE;
  const report: JournalKeyMigrationReport = { rewrapped: 0, keysUnreadable: 0, reencrypted: 0, skipped: 0 };

  for (let after = ''; ;) {
    const people = await store.wrappedUnderOther(deps.activeWrappingKeyId, after, limit);
    for (const userId of people) {
      try {
        if (await cipher.rewrap(userId)) report.rewrapped++;
      } catch (err) {
        if (!(err instanceof UnreadableTextError)) throw err;
        report.keysUnreadable++;
      }
    }
    if (people.length < limit) break;
    after = people[people.length - 1]!;
  }

  for (let after: string | undefined; ;) {
    const rows = await store.v1Entries(after, limit);
    for (const row of rows) {
      if (row.text === null) continue;
      let next: string;
      try {
        next = await cipher.reencrypt(row.userId, row.text, row.id);
      } catch (err) {
        // Unreadable (a retired key, tampered) or the person is erased: left as it is. Anything else (the
        // database) stops the job, which the next run resumes.
        if (!(err instanceof UnreadableTextError || err instanceof DataKeyUnavailableError)) throw err;
        report.skipped++;
        continue;
      }
      if (await store.replaceText(row.id, row.text, next)) report.reencrypted++;
      else report.skipped++;
    }
    if (rows.length < limit) break;
    after = rows[rows.length - 1]!.id;
  }
  return report;
}
