import {
  ApplicationFailure,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CrisisActivities } from '../activities/crisis';
import {
  DEFAULT_RESCREEN_PAGE_SIZE,
  type JournalRescreenInput,
  type JournalRescreenResult,
  MAX_RESCREEN_PAGE_SIZE,
  RESCREEN_MAX_DAYS,
  RESCREEN_MIN_DAYS,
  RESCREEN_PAGES_PER_RUN,
  type RescreenRunStatus,
  type RescreenTotals,
  rescreenProgressQuery,
  rescreenWindowStart,
} from '../contracts/journal-rescreen';
import { RESCREEN_STEPS } from '../contracts/journal-rescreen.policy';
import { StatusKey } from '../contracts/search-attributes';
import { activityOptions, StepTracker } from './step-runner';

// The page step heartbeats: its policy's heartbeat timeout is among the options activityOptions gives.
const acts = proxyActivities<CrisisActivities>(activityOptions(RESCREEN_STEPS.page));

/**
 * Re-screens the journal entries of the last `days` days with the current screener
 * (`journal-rescreen-<screenerVersion>`, critical queue, crisis priority), one keyset page at a time, until
 * no entry in the window is left at an older version. An entry whose new tier is higher than its stored one
 * opens or joins its person's case inside the page step. Only the cutoff, cursors (ids and instants) and
 * counts travel through the history: the activity decrypts the text and returns nothing of it. Continues as
 * new after RESCREEN_PAGES_PER_RUN pages, carrying the cutoff, the cursor and the totals.
 */
export async function journalRescreen(input: JournalRescreenInput): Promise<JournalRescreenResult> {
  const setStatus = (status: RescreenRunStatus) => upsertSearchAttributes([{ key: StatusKey, value: status }]);
  if (!Number.isInteger(input.days) || input.days < RESCREEN_MIN_DAYS || input.days > RESCREEN_MAX_DAYS) {
    setStatus('failed');
    throw ApplicationFailure.nonRetryable(
      `days must be an integer from ${RESCREEN_MIN_DAYS} to ${RESCREEN_MAX_DAYS}`,
      'InvalidRescreenInput',
    );
  }
  const pageSize = Math.min(
    Math.max(1, Math.floor(input.pageSize ?? DEFAULT_RESCREEN_PAGE_SIZE)),
    MAX_RESCREEN_PAGE_SIZE,
  );
  // Workflow time of the first run, carried over: every page and every continued run uses the same window.
  const since = input.carried?.since ?? rescreenWindowStart(Date.now(), input.days).toISOString();
  const totals: RescreenTotals = {
    ...(input.carried?.totals ?? { pages: 0, screened: 0, raised: 0, casesOpened: 0, failed: 0 }),
  };
  let after = input.carried?.after;
  const tracker = new StepTracker(RESCREEN_STEPS);
  setHandler(rescreenProgressQuery, () => ({
    screenerVersion: input.screenerVersion,
    days: input.days,
    since,
    ...totals,
    steps: tracker.steps,
  }));

  let done = false;
  try {
    await tracker.required('page', async () => {
      for (let pagesThisRun = 0; pagesThisRun < RESCREEN_PAGES_PER_RUN && !done; pagesThisRun++) {
        const page = await acts.rescreenJournalPage({
          since,
          ...(after ? { after } : {}),
          limit: pageSize,
          screenerVersion: input.screenerVersion,
        });
        totals.pages++;
        totals.screened += page.screened;
        totals.raised += page.raised;
        totals.casesOpened += page.casesOpened;
        totals.failed += page.failed;
        after = page.lastCursor ?? after;
        done = page.done;
      }
    });
  } catch (err) {
    setStatus('failed');
    throw err;
  }
  if (!done)
    // Every page of this run has finished, so nothing is left behind by continuing as new.
    await continueAsNew<typeof journalRescreen>({
      ...input,
      pageSize,
      carried: { since, ...(after ? { after } : {}), totals },
    });
  setStatus('completed');
  return {
    screenerVersion: input.screenerVersion,
    days: input.days,
    since,
    requestedBy: input.requestedBy,
    ...totals,
  };
}
