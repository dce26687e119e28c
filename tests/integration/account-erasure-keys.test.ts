import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/api/auth';
import { createCrisisService } from '../../src/api/services/crisis.service';
import { createJournalService } from '../../src/api/services/journal.service';
import { accountExportWorkflowId } from '../../src/contracts/account-export';
import { createPersonCipher } from '../../src/crypto/person-cipher';
import { UnreadableTextError } from '../../src/crypto/unreadable-text';
import { createAccountExportRepository, exportsDirOf } from '../../src/db/repositories/account-exports';
import { createJournalRepository } from '../../src/db/repositories/journal';
import { createJournalDataKeyRepository } from '../../src/db/repositories/journal-data-keys';
import { exportArchiveName } from '../../src/domain/account/export-files';
import { SCREENER_VERSION } from '../../src/domain/crisis/screen-entry';
import { createLogger } from '../../src/logger';
import { loadSecrets } from '../../src/secrets';
import { startWorkflow } from '../../src/temporal/workflow-client';
import { accountExport } from '../../src/workflows/account-export';
import { journalScreening } from '../../src/workflows/journal-screening';
import { completedReceipt } from '../support/erasure-people';
import { eventually, type Harness, startHarness } from '../support/harness';
import { tarGzEntries } from '../support/tar-entries';

/**
 * Crypto-shredding on the real stack (docs/account-lifecycle.md, Crypto-shredding): journal text is stored as
 * v2 under the person's own data key; concurrent first entries make one key; erasure destroys the key (counted
 * in the receipt), so a copy of the person's ciphertext taken before erasure (as a backup holds it) no longer
 * decrypts, with a typed error; the neighbour's key and text are untouched; and the places that could meet such
 * a copy (the kept crisis case's text view, the owner's read, an export) show it as null instead of failing;
 * screening such an entry fails at once with a typed, non-retryable failure.
 */
const HIGH_TEXT = 'I wrote a note and I am going to kill myself tonight';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const cipher = () =>
  createPersonCipher({
    ring: loadSecrets(h.config).encryptionKeys,
    store: createJournalDataKeyRepository(h.database.db),
  });
const keyRows = (userId: string) =>
  h.database.sql`select to_jsonb(k)::text as j from app.journal_data_keys k where user_id = ${userId}`;
const entryRows = (userId: string) =>
  h.database
    .sql`select id, text_encrypted, to_jsonb(j)::text as j from app.journal_entries j where user_id = ${userId}`;

async function write(token: string, text: string): Promise<string> {
  const res = await h.call('POST', '/v1/journal-entries', { token, body: { text, mood: 3 } });
  expect(res.status, res.text).toBe(202);
  return res.json.entryId as string;
}

describe('per-person journal data keys (crypto-shredding)', () => {
  it('stores journal text as v2 under the person’s key; concurrent first entries make one key', async () => {
    const user = h.newUser();
    const token = await h.token(user);
    const texts = Array.from({ length: 6 }, (_, i) => `a quiet morning number ${i}`);
    const ids = await Promise.all(texts.map((t) => write(token, t)));
    const keys = await h.database
      .sql`select key_id, wrapping_key_id, wrapped_key from app.journal_data_keys where user_id = ${user}`;
    expect(keys).toHaveLength(1);
    expect(keys[0]!.wrapping_key_id).toBe(loadSecrets(h.config).encryptionKeys[0]!.id);
    const rows = await entryRows(user);
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(String(r.text_encrypted).startsWith(`v2:${keys[0]!.key_id}:`)).toBe(true);
      expect(String(r.text_encrypted)).not.toContain('quiet');
    }
    for (const [i, id] of ids.entries()) {
      const read = await h.call('GET', `/v1/journal-entries/${id}`, { token });
      expect(read.status, read.text).toBe(200);
      expect(read.json.text).toBe(texts[i]);
    }
  }, 120_000);

  it('erasure destroys the key: a copy of the ciphertext no longer decrypts, the neighbour’s still does', async () => {
    const alice = h.newUser();
    const bob = h.newUser();
    const aliceToken = await h.token(alice);
    const flagged = await write(aliceToken, HIGH_TEXT);
    await write(aliceToken, 'tea with my sister');
    const bobEntry = await write(await h.token(bob), 'bob went for a run');
    const caseId = await eventually(async () => {
      const rows = await h.database.sql`select id from app.crisis_cases where user_id = ${alice}`;
      return rows[0]?.id as string | undefined;
    });
    await eventually(async () => {
      const rows = await h.database
        .sql`select 1 from app.journal_entries where user_id in (${alice}, ${bob}) and screening is null`;
      return rows.length === 0;
    });
    // The "backup": alice's rows as they are before erasure, and bob's key and entries to compare afterwards.
    const backup = await entryRows(alice);
    expect(backup).toHaveLength(2);
    const bobKeyBefore = await keyRows(bob);
    const bobRowsBefore = (await entryRows(bob)).map((r) => r.j);
    expect(await cipher().decrypt(alice, String(backup[0]!.text_encrypted), String(backup[0]!.id))).toBeTruthy();

    expect((await h.call('DELETE', '/v1/me', { token: aliceToken, body: { confirm: true } })).status).toBe(202);
    const receipt = await completedReceipt(h, alice);
    expect(receipt.counts).toMatchObject({ journalEntries: 2, journalDataKeys: 1 });
    expect(receipt.crisisCasesRetained).toBe(1);
    expect(await keyRows(alice)).toHaveLength(0);
    // The copy is unreadable for good, with a typed error that carries no text.
    for (const r of backup) {
      const err = await cipher()
        .decrypt(alice, String(r.text_encrypted), String(r.id))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(UnreadableTextError);
      expect((err as UnreadableTextError).reason).toBe('key_destroyed');
      expect((err as Error).message).not.toContain('kill');
    }
    // The neighbour: key and rows byte-identical, text still readable by him and by the cipher.
    expect(await keyRows(bob)).toEqual(bobKeyBefore);
    expect((await entryRows(bob)).map((r) => r.j)).toEqual(bobRowsBefore);
    const bobRead = await h.call('GET', `/v1/journal-entries/${bobEntry}`, { token: await h.token(bob) });
    expect(bobRead.json.text).toBe('bob went for a run');

    // A backup restored after the erasure brings the rows back, but not the key: every reader copes.
    await h.database.sql`
      insert into app.journal_entries
      select * from jsonb_populate_recordset(null::app.journal_entries, ${JSON.stringify(backup.map((r) => JSON.parse(String(r.j))))}::jsonb)`;
    try {
      const secrets = loadSecrets(h.config);
      const staffView = await createCrisisService({
        ...{ database: h.database, temporal: h.temporal, secrets },
        screenerVersion: SCREENER_VERSION,
      }).readWithText(caseId, 'nurse-keys');
      expect(staffView.entries.find((e) => e.entryId === flagged)).toMatchObject({ text: null, tier: 'high' });
      const journal = createJournalService({
        database: h.database,
        temporal: h.temporal,
        logger: createLogger('silent'),
        secrets,
        idempotencyTtlHours: 24,
      });
      const owner: Caller = { sub: alice, role: 'user' };
      expect(await journal.read(flagged, owner)).toMatchObject({ text: null });

      const exportId = randomUUID();
      const exports = createAccountExportRepository(h.database.db, exportsDirOf(h.config.dataDir));
      await exports.claim({ id: exportId, userId: alice, workflowId: accountExportWorkflowId(exportId) });
      const { workflowId } = await startWorkflow(h.temporal, accountExport, { exportId, userId: alice });
      await h.temporal.workflow.getHandle(workflowId).result();
      const archive = await tarGzEntries(
        await fs.readFile(path.join(exportsDirOf(h.config.dataDir), exportArchiveName(exportId))),
      );
      const exported = JSON.parse(archive.get('journal-entries.json')!.toString('utf8')) as { text: unknown }[];
      expect(exported).toHaveLength(2);
      expect(exported.every((e) => e.text === null)).toBe(true);
      await exports.deleteExportsForUser(alice);
    } finally {
      await h.database.sql`delete from app.journal_entries where user_id = ${alice}`;
    }
  }, 240_000);

  it('screening an entry whose key was destroyed fails at once as EntryTextShredded, not retried', async () => {
    const user = h.newUser();
    const entryId = randomUUID();
    // Sealed here (not through the API) so no worker has the key cached when it is destroyed.
    await createJournalRepository(h.database.db).insert({
      id: entryId,
      userId: user,
      workflowId: `journal-${entryId}`,
      textEncrypted: await cipher().encrypt(user, 'I want to end it all tonight', entryId),
      mood: 1,
      locale: 'en-US',
    });
    await h.database.sql`delete from app.journal_data_keys where user_id = ${user}`;
    const { workflowId } = await startWorkflow(h.temporal, journalScreening, { entryId, userId: user });
    const failure = await h.temporal.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activity = (failure as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    const cause = (activity as ActivityFailure).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('EntryTextShredded');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).not.toContain('end it all');
    const rows = await h.database.sql`select screening from app.journal_entries where id = ${entryId}`;
    expect(rows[0]!.screening).toBeNull();
    expect(await h.database.sql`select 1 from app.crisis_cases where user_id = ${user}`).toHaveLength(0);
    await h.database.sql`delete from app.journal_entries where id = ${entryId}`;
  }, 120_000);
});
