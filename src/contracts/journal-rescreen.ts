import { defineProgressQuery, type WorkflowContract } from './contract';
import { CRISIS_PRIORITY } from './crisis-case';
import { StatusKey } from './search-attributes';
import type { StepProgress } from './steps';

/** How far back a re-screen may reach: the entries people wrote recently are the ones still worth a case. */
export const RESCREEN_MIN_DAYS = 1;
export const RESCREEN_MAX_DAYS = 90;

const DAY_MS = 86_400_000;
/** A re-screen's window: entries written in the `days` days before the re-screen started (`start`, epoch ms). */
export const rescreenWindowStart = (start: number, days: number) => new Date(start - days * DAY_MS);
/** When a re-screen began, from the window every link of its run carries (the inverse of rescreenWindowStart). */
export const rescreenStartOf = (since: string, days: number) => new Date(Date.parse(since) + days * DAY_MS);

/**
 * Why 100 per page: an entry is one decrypt, one screening (≤ 50 ms p95), one conditional write and, when
 * its tier rose, one signal-with-start, so a page takes a few seconds and a retried page redoes little.
 * Callers may choose 1-500 (a page of 500 stays well under the page step's 5 min limit).
 */
export const DEFAULT_RESCREEN_PAGE_SIZE = 100;
export const MAX_RESCREEN_PAGE_SIZE = 500;

/**
 * Why 50 pages per run before continuing as new: a page adds ~6 events and one small result to the history,
 * so a run stays near 300 events however big the backlog (90 days of a large service is thousands of pages,
 * which in one run would pass Temporal's 50k-event limit), and a worker that picks the run up after a
 * restart replays at most 50 pages.
 */
export const RESCREEN_PAGES_PER_RUN = 50;

/** What one run counts; carried across continue-as-new so the last run reports the whole re-screen. */
export interface RescreenTotals {
  pages: number;
  /** Entries screened again and stored at the current screener version. */
  screened: number;
  /** Of those, entries whose new tier is above the stored one (and not `none`). */
  raised: number;
  /** Open-or-join signals to the person's case run (`crisis-<userId>`), one per raised entry. */
  casesOpened: number;
  /** Entries that could not be read or screened (e.g. text under a retired key): left for a later run. */
  failed: number;
}

export interface JournalRescreenInput {
  /** Entries written in the last `days` days (1-90), counted back from the run's first start. */
  days: number;
  /** The staff member (or admin) who asked: an id, never a name. */
  requestedBy: string;
  /** Entries per page (default 100, at most 500). */
  pageSize?: number;
  /**
   * The screener version the run is for (the API's, from CRISIS_ENCODER_DIR or the n-gram default). It names the run;
   * the page step refuses to screen with any other version, so the id never lies about what ran.
   */
  screenerVersion: string;
  /** Carried by continue-as-new: the run's cutoff, the keyset cursor and the running totals. */
  carried?: { since: string; after?: string; totals: RescreenTotals };
}

export interface JournalRescreenResult extends RescreenTotals {
  screenerVersion: string;
  days: number;
  /** ISO instant: entries created at or after it were considered. */
  since: string;
  requestedBy: string;
}

export interface RescreenProgress extends RescreenTotals {
  screenerVersion: string;
  days: number;
  since: string;
  steps: StepProgress[];
}

/** One page of the re-screen, as the activity takes it (ids and instants only, never text). */
export interface RescreenPageInput {
  /** ISO instant: entries created at or after it. */
  since: string;
  /** Keyset cursor (`<created_at>|<entryId>`) of the last entry of the previous page. */
  after?: string;
  limit: number;
  /** The version the run is for; a worker with another screener refuses the page (non-retryable). */
  screenerVersion: string;
}

export interface RescreenPageResult {
  screenerVersion: string;
  screened: number;
  raised: number;
  casesOpened: number;
  failed: number;
  /** The cursor to continue after (the input's `after` when the page was empty). */
  lastCursor?: string;
  /** True when this page was the last one (fewer entries than `limit` were left). */
  done: boolean;
}

export const rescreenProgressQuery = defineProgressQuery<RescreenProgress>();

/** The business status a re-screen run reports in `WellflowStatus`: set at start, and at the end. */
export type RescreenRunStatus = 'running' | 'completed' | 'failed';

/**
 * `journal-rescreen-<screenerVersion>`: one re-screen per screener version at a time. A second request while
 * one runs gets the running one back (its `days` is the one that counts); once it has finished, a new run
 * with the same id may start, and it finds nothing left to do for the entries already at that version (the
 * page query skips them), so repeating a re-screen is safe and cheap. Critical queue and crisis priority:
 * an entry the old screener missed may be the one that matters, so it does not wait behind meals. Staff
 * work, not one person's run: no `UserId` attribute, so only staff and admins see it in the run views.
 */
export const rescreenWorkflowId = (screenerVersion: string) => `journal-rescreen-${screenerVersion}`;

export const journalRescreenContract: WorkflowContract<JournalRescreenInput> = {
  workflowType: 'journalRescreen',
  taskQueue: 'critical',
  priority: CRISIS_PRIORITY,
  workflowId: (input) => rescreenWorkflowId(input.screenerVersion),
  searchAttributes: () => [{ key: StatusKey, value: 'running' satisfies RescreenRunStatus }],
};
