import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { journalWorkflowId } from '../../contracts/journal-screening';
import { createPersonCipher, DataKeyUnavailableError } from '../../crypto/person-cipher';
import type { Database } from '../../db/client';
import { createJournalRepository, type JournalRow, type StoredScreening } from '../../db/repositories/journal';
import { createJournalDataKeyRepository } from '../../db/repositories/journal-data-keys';
import { crisisResourcesFor, safeMessage, type Tier } from '../../domain/crisis';
import type { Logger } from '../../logger';
import type { Secrets } from '../../secrets';
import { startWorkflow } from '../../temporal/workflow-client';
import { journalScreening } from '../../workflows/journal-screening';
import { type Caller, isStaff } from '../auth';
import { notFound } from '../errors';
import { accountErased } from '../middleware/erased-account';
import { isUuid } from '../schemas/common';
import type { JournalEntryInput } from '../schemas/journal';
import { createIdempotentStarter } from './idempotent-start';

/** Why an entry was flagged, for staff: both signals, never the words (those are in the case view). */
export function screeningWhy(s: StoredScreening) {
  return {
    screenerVersion: s.screenerVersion ?? s.ruleVersion,
    source: s.source ?? 'rules',
    rules: { tier: s.rulesTier ?? s.tier, categories: s.categories ?? [], ruleIds: s.rules },
    ...(s.model ? { model: s.model } : {}),
  };
}

/**
 * Journal entries: stored encrypted and screened by their own run (`journal-<entryId>`, critical queue),
 * started idempotently like meals; read back by their author (with the text) or by staff (without it).
 */
export function createJournalService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  secrets: Secrets;
  idempotencyTtlHours: number;
}) {
  const journal = createJournalRepository(deps.database.db);
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours, deps.logger);
  const cipher = createPersonCipher({
    ring: deps.secrets.encryptionKeys,
    store: createJournalDataKeyRepository(deps.database.db),
  });

  /** Sealed under the person's data key before the transaction (the key is created on their first entry). */
  async function seal(userId: string, text: string, entryId: string): Promise<string> {
    try {
      return await cipher.encrypt(userId, text, entryId);
    } catch (err) {
      // The erased mark landed after this request passed the erased check: no key is made for them any more.
      if (err instanceof DataKeyUnavailableError) throw accountErased();
      throw err;
    }
  }

  async function write(userId: string, entry: JournalEntryInput, idempotencyKey?: string) {
    const newId = randomUUID();
    const textEncrypted = await seal(userId, entry.text, newId);
    const r = await startOnce({
      userId,
      idempotencyKey,
      request: ['POST /v1/journal-entries', entry],
      resourceType: 'journal_entry',
      resourceId: newId,
      what: 'entry',
      singleStatement: true,
      insert: (tx) =>
        createJournalRepository(tx).insert({
          id: newId,
          userId,
          textEncrypted,
          mood: entry.mood ?? null,
          locale: entry.locale ?? 'en-US',
          workflowId: journalWorkflowId(newId),
        }),
      start: () => startWorkflow(deps.temporal, journalScreening, { entryId: newId, userId }),
      undo: () => journal.delete(newId),
    });
    return { entryId: r.resourceId, workflowId: journalWorkflowId(r.resourceId), replayed: r.replayed };
  }

  /** The entry for its author, or for staff; anyone else gets 404. */
  async function read(entryId: string, who: Caller) {
    if (!isUuid(entryId)) throw notFound('journal_entry', entryId);
    const entry = isStaff(who) ? await journal.get(entryId) : await journal.getOwned(entryId, who.sub);
    if (!entry) throw notFound('journal_entry', entryId);
    return view(entry, entry.userId === who.sub, isStaff(who));
  }

  async function view(entry: JournalRow, owner: boolean, staff: boolean) {
    const s = entry.screening as StoredScreening | null;
    // Null when retention removed the words, or when they were crypto-shredded (the person's key destroyed).
    const text =
      owner && entry.textEncrypted !== null
        ? await cipher.decryptUnlessShredded(entry.userId, entry.textEncrypted, entry.id)
        : null;
    return {
      entryId: entry.id,
      workflowId: entry.workflowId,
      createdAt: entry.createdAt.toISOString(),
      mood: entry.mood,
      locale: entry.locale,
      screening: s
        ? { status: 'screened', tier: s.tier, ruleVersion: s.ruleVersion, ...(staff ? { why: screeningWhy(s) } : {}) }
        : { status: 'pending', tier: null, ruleVersion: null },
      // Only the author reads their words; staff review cases through the case view.
      // After the retention period the text is gone (null, with the date); mood and screening remain.
      ...(owner
        ? {
            text,
            ...(entry.textDeletedAt ? { textDeletedAt: entry.textDeletedAt.toISOString() } : {}),
          }
        : {}),
      ...(owner && s && (s.tier !== 'none' || s.thirdParty)
        ? {
            support: {
              // The stored tier is the screener's own (domain/crisis TIERS), written as text.
              message: safeMessage(s.tier as Tier, entry.locale),
              resources: crisisResourcesFor(entry.locale),
            },
          }
        : {}),
    };
  }

  return { write, read };
}

export type JournalService = ReturnType<typeof createJournalService>;
