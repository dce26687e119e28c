import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { RescreenPageInput, RescreenPageResult } from '../contracts/journal-rescreen';
import type { PersonCipher } from '../crypto/person-cipher';
import { UnreadableTextError } from '../crypto/unreadable-text';
import type { JournalRepository } from '../db/repositories/journal';
import type { CrisisScreener, EntryScreening } from '../domain/crisis/screen-entry';
import { type CaseTier, tierRank } from '../domain/crisis/types';
import type { Logger } from '../logger';
import { storedScreening, storedTier } from './screening-record';

/** What a page of the re-screen has done so far: its heartbeat details, so a retry resumes after them. */
interface RescreenCheckpoint {
  screened: number;
  raised: number;
  casesOpened: number;
  failed: number;
  /** Entries of this page handled so far (screened, skipped or failed). */
  seen: number;
  lastCursor?: string;
}

export interface RescreenDeps {
  journal: JournalRepository;
  cipher: PersonCipher;
  /** The worker's screener: its version names what this page screens to. */
  screener: CrisisScreener;
  /** Opens or joins the person's case with one flagged entry (the same path the screening step uses). */
  openCaseFor(e: { entryId: string; userId: string; tier: CaseTier }): Promise<unknown>;
  /** The activity's logger (ids only). */
  log(): Logger;
}

/** The re-screen's page step (`journalRescreen`): part of the crisis activities, in its own module. */
export function createRescreenActivities(deps: RescreenDeps) {
  const { openCaseFor, log, screener } = deps;
  return {
    async rescreenJournalPage(input: RescreenPageInput): Promise<RescreenPageResult> {
      if (input.screenerVersion !== screener.version)
        throw ApplicationFailure.nonRetryable(
          `this worker screens with ${screener.version}, the run is for ${input.screenerVersion}: start a re-screen again once every worker runs the same screener`,
          'ScreenerVersionMismatch',
        );
      const since = new Date(input.since);
      if (Number.isNaN(since.getTime()) || !Number.isInteger(input.limit) || input.limit < 1)
        throw ApplicationFailure.nonRetryable(
          'since must be an ISO instant and limit a positive integer',
          'InvalidRescreenInput',
        );
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as RescreenCheckpoint | undefined;
      const at: RescreenCheckpoint = resumed?.seen
        ? { ...resumed }
        : {
            screened: 0,
            raised: 0,
            casesOpened: 0,
            failed: 0,
            seen: 0,
            ...(input.after ? { lastCursor: input.after } : {}),
          };
      const wanted = input.limit - at.seen;
      let rows: Awaited<ReturnType<JournalRepository['listForRescreen']>> = [];
      if (wanted > 0) {
        try {
          rows = await deps.journal.listForRescreen({
            since,
            ...(at.lastCursor ? { after: at.lastCursor } : {}),
            limit: wanted,
            version: screener.version,
          });
        } catch (err) {
          if (err instanceof RangeError)
            throw ApplicationFailure.nonRetryable('after is not a re-screen cursor', 'InvalidRescreenInput');
          throw err;
        }
      }
      for (const row of rows) {
        let result: EntryScreening | undefined;
        try {
          result = await screener.screen(await deps.cipher.decrypt(row.userId, row.textEncrypted, row.id), {
            locale: row.locale,
          });
        } catch (err) {
          // A text no configured key opens (a destroyed data key included), or a screener fault, must not block
          // the entries behind it: the entry keeps its old screening and a later run tries again. The error's
          // name and reason only, never its text.
          at.failed++;
          const reason = err instanceof UnreadableTextError ? err.reason : undefined;
          log().warn({ entryId: row.id, error: (err as Error).name, reason }, 'journal entry could not be re-screened');
        }
        if (result) {
          const before = storedTier(row.screening);
          const raised = result.tier !== 'none' && tierRank(result.tier) > tierRank(before);
          if (raised) {
            await openCaseFor({ entryId: row.id, userId: row.userId, tier: result.tier as CaseTier });
            at.casesOpened++;
          }
          const written = await deps.journal.setScreeningUnlessAt(
            row.id,
            {
              ...storedScreening(result),
              previous: { tier: row.screening?.tier ?? null, screenerVersion: row.screening?.screenerVersion ?? null },
            },
            screener.version,
          );
          if (written) {
            at.screened++;
            if (raised) at.raised++;
          }
          if (raised)
            log().info(
              { entryId: row.id, tier: result.tier, previousTier: before },
              'journal entry re-screened higher',
            );
        }
        at.seen++;
        at.lastCursor = row.cursor;
        ctx.heartbeat({ ...at });
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('re-screen page cancelled');
      }
      const { seen, lastCursor, ...counts } = at;
      log().info({ ...counts, entries: seen }, 're-screen page done');
      return {
        screenerVersion: screener.version,
        ...counts,
        ...(lastCursor ? { lastCursor } : {}),
        done: rows.length < wanted,
      };
    },
  };
}
