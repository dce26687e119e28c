import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateJournalKeys } from '../../src/crypto/journal-key-migration';
import { createPersonCipher } from '../../src/crypto/person-cipher';
import { createTextCipher } from '../../src/crypto/text-cipher';
import { createDatabase, type Database } from '../../src/db/client';
import { createJournalRepository } from '../../src/db/repositories/journal';
import { createJournalDataKeyRepository } from '../../src/db/repositories/journal-data-keys';
import type { EncryptionKey } from '../../src/secrets';

/**
 * `wellflow journal-keys migrate` (src/crypto/journal-key-migration.ts) against the test database, as an operator
 * runs it after rotating WELLFLOW_ENCRYPTION_KEY: data keys wrapped under the old deployment key are re-wrapped
 * under the new one, v1 journal text becomes v2 under each person's key, after which the old deployment key can
 * go; an erased person gets no key (their v1 row is left), an unreadable row is left; a second run does nothing.
 * Other test files' rows in the shared database (under other keys) are only ever skipped.
 */
let database: Database;
const old: EncryptionKey = { id: `old-${randomUUID().slice(0, 6)}`, key: randomBytes(32) };
const next: EncryptionKey = { id: `new-${randomUUID().slice(0, 6)}`, key: randomBytes(32) };
const person = () => `u-${randomUUID().slice(0, 8)}`;

beforeAll(() => {
  database = createDatabase(inject('databaseUrl'));
});
afterAll(() => database?.close());

async function entry(userId: string, seal: (id: string) => string | Promise<string>): Promise<string> {
  const id = randomUUID();
  await createJournalRepository(database.db).insert({
    id,
    userId,
    workflowId: `journal-${id}`,
    textEncrypted: await seal(id),
    mood: 3,
    locale: 'en-US',
  });
  return id;
}
const stored = async (id: string) =>
  String((await database.sql`select text_encrypted from app.journal_entries where id = ${id}`)[0]!.text_encrypted);
const keyRow = async (userId: string) =>
  (await database.sql`select key_id, wrapping_key_id from app.journal_data_keys where user_id = ${userId}`)[0];

describe('journal-keys migrate', () => {
  it('re-wraps keys and re-encrypts v1 text so the old deployment key can be retired; a second run does nothing', async () => {
    const v1 = createTextCipher([old]);
    const before = createPersonCipher({ ring: [old], store: createJournalDataKeyRepository(database.db) });
    const [alice, bob, carol, dave] = [person(), person(), person(), person()];
    const a1 = await entry(alice, (id) => v1.encrypt('alice one', id));
    const a2 = await entry(alice, (id) => v1.encrypt('alice two', id));
    const b1 = await entry(bob, (id) => before.encrypt(bob, 'bob under his key', id));
    const b2 = await entry(bob, (id) => v1.encrypt('bob before keys', id));
    const bobKey = await keyRow(bob);
    expect(bobKey!.wrapping_key_id).toBe(old.id);
    await database.sql`insert into app.account_erasures (user_id, workflow_id, trigger) values (${carol}, ${`erasure-${carol}`}, 'admin')`;
    const c1 = await entry(carol, (id) => v1.encrypt('carol, erased', id));
    const d1 = await entry(dave, (id) => v1.encrypt('dave', `${id}-moved`)); // does not authenticate for this row
    const carolText = await stored(c1);
    const daveText = await stored(d1);

    const out = execFileSync(process.execPath, ['bin/wellflow.js', 'journal-keys', 'migrate'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        WELLFLOW_ENCRYPTION_KEY: `${next.id}:${next.key.toString('base64')},${old.id}:${old.key.toString('base64')}`,
        JWT_SECRET: randomBytes(32).toString('base64'),
        WELLFLOW_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'wellflow-keys-')),
        LOG_LEVEL: 'silent',
      },
    });
    const report = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
    expect(report.rewrapped).toBeGreaterThanOrEqual(1); // bob's
    expect(report.reencrypted).toBeGreaterThanOrEqual(3); // a1, a2, b2
    expect(report.skipped).toBeGreaterThanOrEqual(2); // carol (erased), dave (unreadable)

    // Readable with the new deployment key alone: the old one can be removed.
    const after = createPersonCipher({ ring: [next], store: createJournalDataKeyRepository(database.db) });
    const expected: [string, string, string][] = [
      [alice, a1, 'alice one'],
      [alice, a2, 'alice two'],
      [bob, b1, 'bob under his key'],
      [bob, b2, 'bob before keys'],
    ];
    for (const [userId, id, text] of expected) {
      expect(await stored(id)).toMatch(/^v2:/);
      expect(await after.decrypt(userId, await stored(id), id)).toBe(text);
    }
    expect(await keyRow(bob)).toEqual({ key_id: bobKey!.key_id, wrapping_key_id: next.id });
    expect((await keyRow(alice))!.wrapping_key_id).toBe(next.id);
    // Left alone: the erased person (no key made for them) and the row that does not authenticate.
    expect(await keyRow(carol)).toBeUndefined();
    expect(await stored(c1)).toBe(carolText);
    expect(await stored(d1)).toBe(daveText);

    // Idempotent: nothing left to do for this ring.
    const store = createJournalDataKeyRepository(database.db);
    const again = await migrateJournalKeys({
      cipher: createPersonCipher({ ring: [next, old], store }),
      store,
      activeWrappingKeyId: next.id,
      pageSize: 2, // several pages even for a handful of rows
    });
    expect(again).toMatchObject({ rewrapped: 0, reencrypted: 0 });
  }, 120_000);
});
