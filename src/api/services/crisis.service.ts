import { UnreadableTextError } from '../../crypto/unreadable-text';
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { acknowledgeUpdate, caseProgressQuery, resolveUpdate } from '../../contracts/crisis-case';
import { rescreenWorkflowId } from '../../contracts/journal-rescreen';
import { journalRescreen } from '../../workflows/journal-rescreen';
import { createPersonCipher } from '../../crypto/person-cipher';
import { createTextCipher, type TextCipher } from '../../crypto/text-cipher';
import type { Database } from '../../db/client';
import { createConsoleRepository } from '../../db/repositories/console';
import { type CaseEventRow, type CaseRow, createCrisisRepository } from '../../db/repositories/crisis';
import { createJournalRepository, type StoredScreening } from '../../db/repositories/journal';
import { createJournalDataKeyRepository } from '../../db/repositories/journal-data-keys';
import type { CaseStatus } from '../../domain/crisis/types';
import type { Secrets } from '../../secrets';
import {
  queryWithin,
  startWorkflow,
  TEMPORAL_UPDATE_DEADLINE_MS,
  withTemporalDeadline,
} from '../../temporal/workflow-client';
import { AppError, notFound } from '../errors';
import type { Caller } from '../identity/caller';
import { isUuid } from '../schemas/common';
import { screeningWhy } from './journal.service';
import { type RunDetail, runDetail } from './runs/run-views';

const summary = (c: CaseRow) => ({
  caseId: c.id,
  userId: c.userId,
  workflowId: c.workflowId,
  status: c.status,
  tier: c.tier,
  escalationLevel: c.level,
  ackDeadline: c.ackDeadline?.toISOString() ?? null,
  openedAt: c.openedAt.toISOString(),
  acknowledgedAt: c.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: c.acknowledgedBy,
  resolvedAt: c.resolvedAt?.toISOString() ?? null,
  outcome: c.outcome,
  closedAt: c.closedAt?.toISOString() ?? null,
});

/**
 * A timeline entry as staff read it: a note decrypted, everything else as recorded. A note that cannot be
 * decrypted (its key was retired from the ring too early, or the stored value was damaged) is shown as
 * unreadable with the reason, so one bad note never hides the rest of the case from staff (it was a 500).
 */
export function timelineEntry(e: CaseEventRow, cipher: TextCipher) {
  const { noteEncrypted, ...data } = e.data as Record<string, unknown> & { noteEncrypted?: string };
  let note: Record<string, unknown> = {};
  if (noteEncrypted) {
    try {
      note = { note: cipher.decrypt(noteEncrypted, e.id) };
    } catch (err) {
      if (!(err instanceof UnreadableTextError)) throw err;
      note = { note: null, noteUnreadable: err.reason };
    }
  }
  return { type: e.type, actor: e.actor, at: e.at.toISOString(), data: { ...data, ...note } };
}

const closed = () => new AppError('conflict', 'case_closed', 'This case is closed');

/** The timeline entry every staff view of a person's words leaves behind (who, when, which entries). */
export const TEXT_VIEWED_EVENT = 'text_viewed';
/** How many of the person's latest screenings the case view shows beside the case. */
const RECENT_SCREENINGS = 10;

/**
 * Staff work on crisis cases: the case row and its audit timeline come from PostgreSQL, the live escalation
 * state from the case run (`crisis-<userId>`); acknowledge and resolve are updates of that run, so the run
 * decides whether the case is in a state for them. Notes can hold health details: encrypted at rest like
 * journal text, bound to their event id.
 */
export function createCrisisService(deps: {
  database: Database;
  temporal: Client;
  secrets: Secrets;
  /** The screener the workers run (ApiDeps.screenerVersion). */
  screenerVersion: string;
}) {
  const { screenerVersion } = deps;
  const cases = createCrisisRepository(deps.database.db);
  const journal = createJournalRepository(deps.database.db);
  const consoleRows = createConsoleRepository(deps.database.db);
  // Staff notes: the care team's record, kept with the case, so under the deployment key ring (v1).
  const cipher = createTextCipher(deps.secrets.encryptionKeys);
  // The person's journal text: under their own data key (v2), unreadable once erasure destroyed it.
  const journalCipher = createPersonCipher({
    ring: deps.secrets.encryptionKeys,
    store: createJournalDataKeyRepository(deps.database.db),
  });

  async function load(caseId: string): Promise<CaseRow> {
    const row = isUuid(caseId) ? await cases.get(caseId) : undefined;
    if (!row) throw notFound('crisis_case', caseId);
    return row;
  }

  async function detail(row: CaseRow) {
    return {
      ...summary(row),
      live:
        row.status === 'closed'
          ? null
          : ((await queryWithin(deps.temporal, row.workflowId, caseProgressQuery)) ?? null),
      timeline: (await cases.timeline(row.id)).map((e) => timelineEntry(e, cipher)),
    };
  }

  /** Runs a case update; a rejected or closed run means the case is not in a state for it (409). */
  async function update<R>(row: CaseRow, run: () => Promise<R>): Promise<R> {
    if (row.status === 'closed') throw closed();
    try {
      return await withTemporalDeadline(deps.temporal, run, TEMPORAL_UPDATE_DEADLINE_MS);
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError)
        throw new AppError(
          'conflict',
          'case_state',
          (e.cause as Error | undefined)?.message ?? 'The case is not in a state for this',
        );
      if (e instanceof WorkflowNotFoundError) throw closed();
      throw e;
    }
  }

  async function addNote(row: CaseRow, staffId: string, note: string): Promise<void> {
    const id = randomUUID();
    await cases.recordEvent({
      caseId: row.id,
      userId: row.userId,
      workflowId: row.workflowId,
      eventKey: `note:${id}`,
      type: 'note',
      actor: staffId,
      at: new Date(),
      data: { noteEncrypted: cipher.encrypt(note, id) },
      patch: {},
      id,
    });
  }

  const handle = (row: CaseRow) => deps.temporal.workflow.getHandle(row.workflowId);

  return {
    list: async (q: { status?: CaseStatus; limit: number }) => (await cases.list(q)).map(summary),

    get: async (caseId: string) => detail(await load(caseId)),

    /**
     * The case with the words of every entry that flagged it, decrypted for one staff member, and why each
     * was flagged; the view is first written to the case's timeline (`text_viewed`), so no text is shown
     * without its audit entry. Also the person's recent screenings (tiers only).
     */
    async readWithText(caseId: string, staffId: string) {
      const row = await load(caseId);
      const entryIds = [
        ...new Set(
          // Events that name an entry (opened, flagged, tier raised) name the entries that flagged the case.
          (await cases.timeline(row.id))
            .map((e) => (e.data as { entryId?: unknown }).entryId)
            .filter((id): id is string => typeof id === 'string'),
        ),
      ];
      const id = randomUUID();
      await cases.recordEvent({
        caseId: row.id,
        userId: row.userId,
        workflowId: row.workflowId,
        eventKey: `view:${id}`,
        type: TEXT_VIEWED_EVENT,
        actor: staffId,
        at: new Date(),
        data: { entryIds },
        patch: {},
        id,
      });
      const entries = await Promise.all(
        entryIds.map(async (entryId) => {
          const e = await journal.get(entryId);
          const s = (e?.screening ?? null) as StoredScreening | null;
          return {
            entryId,
            createdAt: e?.createdAt.toISOString() ?? null,
            // Null after the retention job removed the words, when the entry is gone, or when the person's
            // data key was destroyed (erasure: crypto-shredded).
            text: e?.textEncrypted ? await journalCipher.decryptUnlessShredded(e.userId, e.textEncrypted, e.id) : null,
            tier: s?.tier ?? null,
            why: s ? screeningWhy(s) : null,
          };
        }),
      );
      const recent = (await consoleRows.recentScreenings(row.userId, RECENT_SCREENINGS)).map((r) => {
        const s = r.screening as StoredScreening;
        return {
          entryId: r.id,
          createdAt: r.createdAt.toISOString(),
          mood: r.mood,
          tier: s.tier,
          why: screeningWhy(s),
        };
      });
      return { ...(await detail(row)), entries, recentScreenings: recent };
    },

    /** Stops escalation; idempotent (`duplicate` when this staff member had already acknowledged it). */
    async acknowledge(caseId: string, staffId: string) {
      const row = await load(caseId);
      const r = await update(row, () => handle(row).executeUpdate(acknowledgeUpdate, { args: [{ staffId }] }));
      return { duplicate: r.duplicate, case: await detail(await load(row.id)) };
    },

    async note(caseId: string, staffId: string, note: string) {
      const row = await load(caseId);
      if (row.status === 'closed') throw closed();
      await addNote(row, staffId, note);
      return detail(row);
    },

    /** Resolves an acknowledged case with an outcome (follow-ups begin); an optional note joins the timeline. */
    async resolve(caseId: string, staffId: string, body: { outcome: string; note?: string }) {
      const row = await load(caseId);
      await update(row, () => handle(row).executeUpdate(resolveUpdate, { args: [{ staffId, outcome: body.outcome }] }));
      if (body.note?.trim()) await addNote(row, staffId, body.note);
      return detail(await load(row.id));
    },

    /**
     * Re-screens the last `days` days of entries with the screener the workers run (`screenerVersion`), as
     * `journal-rescreen-<version>`: one per version at a time, so a request while one runs gets that run
     * back (with its own `days`). Only ids and the number of days go into the run, never text.
     */
    async rescreen(days: number, requestedBy: string) {
      const started = await startWorkflow(deps.temporal, journalRescreen, {
        days,
        requestedBy,
        screenerVersion,
      });
      return {
        workflowId: started.workflowId,
        screenerVersion,
        alreadyRunning: started.alreadyStarted,
      };
    },

    /** The screener version the workers run: what a re-screen started now screens with. */
    screenerVersion,

    /** Entries a re-screen of the last `days` would screen again now, for each of `days` (the backlog). */
    rescreenBacklog(days: readonly number[]) {
      return journal.countForRescreen({ now: new Date(), days, version: screenerVersion });
    },

    /**
     * The latest re-screen for that version (`journal-rescreen-<version>`) as the runs API shows it: status,
     * progress while it runs, totals once completed, the reason once failed; null before the first one.
     */
    async rescreenRun(caller: Caller): Promise<RunDetail | null> {
      try {
        return await runDetail(deps.temporal, rescreenWorkflowId(screenerVersion), caller);
      } catch (err) {
        if (err instanceof AppError && err.category === 'not_found') return null;
        throw err;
      }
    },
  };
}

export type CrisisService = ReturnType<typeof createCrisisService>;
