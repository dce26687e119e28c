import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPersonCipher, DataKeyUnavailableError } from '../../src/crypto/person-cipher';
import { createTextCipher } from '../../src/crypto/text-cipher';
import { UnreadableTextError } from '../../src/crypto/unreadable-text';
import { createDatabase, type Database } from '../../src/db/client';
import { createJournalDataKeyRepository } from '../../src/db/repositories/journal-data-keys';
import type { EncryptionKey } from '../../src/secrets';

/**
 * The per-person journal cipher (src/crypto/person-cipher.ts) on the real PostgreSQL table: race-safe key
 * creation, v1 compatibility, lazy re-wrapping when the deployment key rotates, no key for an erased person,
 * the brief cache, and the typed error once a key is destroyed. Separate cipher instances stand for separate
 * processes (each has its own cache). The erasure that destroys keys is in account-erasure-keys.test.ts.
 */
let database: Database;
const ringKey = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });
const person = () => `u-${randomUUID().slice(0, 8)}`;
const keyRows = async (userId: string) =>
  database.sql`select key_id, wrapping_key_id, wrapped_key, rewrapped_at from app.journal_data_keys where user_id = ${userId}`;
const cipherFor = (ring: EncryptionKey[], extra: { cacheMs?: number; now?: () => number } = {}) =>
  createPersonCipher({ ring, store: createJournalDataKeyRepository(database.db), ...extra });

async function failure(p: Promise<unknown>): Promise<UnreadableTextError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnreadableTextError);
  return err as UnreadableTextError;
}

beforeAll(() => {
  database = createDatabase(inject('databaseUrl'), { max: 10 });
});
afterAll(() => database?.close());

describe('per-person journal data keys', () => {
  it('concurrent first writes from separate processes end with one key, and every text reads everywhere', async () => {
    const ring = [ringKey('a')];
    const user = person();
    const WRITERS = 8;
    let inserts = 0;
    // Every writer reads "no key yet" before any of them inserts: the race this test is about, on every run
    // (left to timing, the first insert sometimes landed before a slower writer's read).
    let reads = 0;
    let allRead!: () => void;
    const everyoneHasRead = new Promise<void>((resolve) => (allRead = resolve));
    const repo = createJournalDataKeyRepository(database.db);
    const store = {
      ...repo,
      get: async (u: string) => {
        const found = await repo.get(u);
        if (reads < WRITERS) {
          if (++reads === WRITERS) allRead();
          await everyoneHasRead;
        }
        return found;
      },
      insertIfAbsent: (u: string, k: Parameters<typeof repo.insertIfAbsent>[1]) => (
        inserts++,
        repo.insertIfAbsent(u, k)
      ),
    };
    const processes = Array.from({ length: WRITERS }, () => createPersonCipher({ ring, store }));
    const texts = await Promise.all(processes.map((c, i) => c.encrypt(user, `entry ${i}`, `e-${i}`)));
    const rows = await keyRows(user);
    expect(inserts).toBe(WRITERS); // every writer made a candidate key; one was kept
    expect(rows).toHaveLength(1);
    for (const [i, stored] of texts.entries()) {
      expect(stored.startsWith(`v2:${rows[0]!.key_id}:`)).toBe(true);
      expect(await processes[(i + 3) % processes.length]!.decrypt(user, stored, `e-${i}`)).toBe(`entry ${i}`);
      expect(await cipherFor(ring).decrypt(user, stored, `e-${i}`)).toBe(`entry ${i}`);
    }
    // A later write reuses the key.
    await cipherFor(ring).encrypt(user, 'later', 'e-later');
    expect(await keyRows(user)).toEqual(rows);
  });

  it('reads v1 text written under the deployment key ring before data keys existed', async () => {
    const ring = [ringKey('a')];
    const v1 = createTextCipher(ring).encrypt('an old entry', 'e-old');
    const user = person();
    expect(await cipherFor(ring).decrypt(user, v1, 'e-old')).toBe('an old entry');
    expect(await keyRows(user)).toHaveLength(0); // reading v1 creates no key
    expect((await failure(cipherFor(ring).decrypt(user, v1, 'e-other'))).reason).toBe('tampered');
  });

  it('deployment key rotation: the next use re-wraps the key under the new ring key, then the old key can go', async () => {
    const old = ringKey('old');
    const next = ringKey('new');
    const user = person();
    const stored = await cipherFor([old]).encrypt(user, 'before rotation', 'e-1');
    expect((await keyRows(user))[0]).toMatchObject({ wrapping_key_id: 'old', rewrapped_at: null });
    expect(await cipherFor([next, old]).decrypt(user, stored, 'e-1')).toBe('before rotation');
    const after = (await keyRows(user))[0]!;
    expect(after.wrapping_key_id).toBe('new');
    expect(after.rewrapped_at).not.toBeNull();
    expect(await cipherFor([next]).decrypt(user, stored, 'e-1')).toBe('before rotation');
    // A key never re-wrapped and its ring key removed: typed, not a crash.
    const other = person();
    const stale = await cipherFor([old]).encrypt(other, 'never read since', 'e-2');
    expect((await failure(cipherFor([next]).decrypt(other, stale, 'e-2'))).reason).toBe('wrapping_key_unknown');
  });

  it('a tampered wrapped key or text is refused with a typed error', async () => {
    const ring = [ringKey('a')];
    const user = person();
    const stored = await cipherFor(ring).encrypt(user, 'words', 'e-1');
    expect((await failure(cipherFor(ring).decrypt(user, stored, 'e-2'))).reason).toBe('tampered');
    await database.sql`update app.journal_data_keys set wrapped_key = ${randomBytes(60).toString('base64')} where user_id = ${user}`;
    expect((await failure(cipherFor(ring).decrypt(user, stored, 'e-1'))).reason).toBe('tampered');
  });

  it('a destroyed key makes the text unreadable (typed), in other processes once their brief cache lapses', async () => {
    const ring = [ringKey('a')];
    const user = person();
    const neighbour = person();
    let now = 1_000_000;
    const other = cipherFor(ring, { now: () => now }); // another process, with a cache
    const stored = await other.encrypt(user, 'to be shredded', 'e-1');
    const theirs = await other.encrypt(neighbour, 'stays', 'e-n');
    await database.sql`delete from app.journal_data_keys where user_id = ${user}`;

    const fresh = cipherFor(ring);
    const err = await failure(fresh.decrypt(user, stored, 'e-1'));
    expect(err.reason).toBe('key_destroyed');
    expect(err.message).not.toContain('shredded');
    expect(await fresh.decryptUnlessShredded(user, stored, 'e-1')).toBeNull();
    // The other process still holds the key until its cache entry lapses (DATA_KEY_CACHE_MS), then it fails too.
    expect(await other.decrypt(user, stored, 'e-1')).toBe('to be shredded');
    now += 31_000;
    expect((await failure(other.decrypt(user, stored, 'e-1'))).reason).toBe('key_destroyed');
    // forget() drops it at once (the erasure's own process).
    const cached = cipherFor(ring);
    const again = await cached.encrypt(neighbour, 'x', 'e-x');
    cached.forget(neighbour);
    expect(await cached.decrypt(neighbour, again, 'e-x')).toBe('x');
    // The neighbour's key and text are untouched.
    expect(await fresh.decrypt(neighbour, theirs, 'e-n')).toBe('stays');
    // Other failures are not swallowed by decryptUnlessShredded.
    await expect(fresh.decryptUnlessShredded(neighbour, theirs, 'e-wrong')).rejects.toBeInstanceOf(UnreadableTextError);
  });

  it('no key is created for a person marked erased, so a destroyed key stays destroyed', async () => {
    const ring = [ringKey('a')];
    const user = person();
    await database.sql`insert into app.account_erasures (user_id, workflow_id, trigger) values (${user}, ${`erasure-${user}`}, 'admin')`;
    await expect(cipherFor(ring).encrypt(user, 'too late', 'e-1')).rejects.toBeInstanceOf(DataKeyUnavailableError);
    expect(await keyRows(user)).toHaveLength(0);
  });
});
