import { CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import type { AccountExportActivities } from '../activities/account-export';
import {
  type AccountExportInput,
  accountExportProgressQuery,
  type AccountExportResult,
  type AccountExportState,
} from '../contracts/account-export';
import { ACCOUNT_EXPORT_STEPS } from '../contracts/account-export.policy';
import type { ExportCounts } from '../domain/account/export-readme';
import { proxiesFor, StepTracker } from './step-runner';

// One proxy per step (the paging steps' heartbeat timeout included).
const acts = proxiesFor<AccountExportActivities, keyof typeof ACCOUNT_EXPORT_STEPS>(ACCOUNT_EXPORT_STEPS);

/**
 * One account export (`account-export-<exportId>`, docs/account-lifecycle.md): stage the person's data as JSON
 * files part by part (profile and cases → meals → journal → insights and charts → routines), pack them with the
 * photos into one .tar.gz, then finish (the row is completed and expires in 24 h). A failure or cancellation
 * abandons the export: the row is marked failed and the files are removed. Only ids and counts pass through
 * the history; the steps read, decrypt and write the data themselves.
 */
export async function accountExport(input: AccountExportInput): Promise<AccountExportResult> {
  const tracker = new StepTracker(ACCOUNT_EXPORT_STEPS);
  let state: AccountExportState = 'staging';
  const counts: ExportCounts = {};
  setHandler(accountExportProgressQuery, () => ({
    state,
    counts,
    steps: tracker.steps,
    warnings: tracker.warnings,
  }));
  try {
    Object.assign(counts, await tracker.required('profile', () => acts.profile.stageExportProfile(input)));
    Object.assign(counts, await tracker.required('meals', () => acts.meals.stageExportMeals(input)));
    Object.assign(counts, await tracker.required('journal', () => acts.journal.stageExportJournal(input)));
    Object.assign(counts, await tracker.required('insights', () => acts.insights.stageExportInsights(input)));
    Object.assign(counts, await tracker.required('routines', () => acts.routines.stageExportRoutines(input)));
    state = 'packing';
    const packed = await tracker.required('pack', () => acts.pack.packExportArchive({ ...input, counts }));
    Object.assign(counts, packed.counts);
    state = 'finishing';
    const done = await tracker.required('finish', () =>
      acts.finish.finishExport({ ...input, counts, sizeBytes: packed.sizeBytes }),
    );
    tracker.skipRemaining();
    state = 'completed';
    return { exportId: input.exportId, counts, sizeBytes: packed.sizeBytes, expiresAt: done.expiresAt };
  } catch (err) {
    state = isCancellation(err) ? 'cancelled' : 'failed';
    // Non-cancellable: after a cancellation any cancellable step would be cancelled at once.
    await CancellationScope.nonCancellable(() => tracker.required('abandon', () => acts.abandon.abandonExport(input)));
    tracker.skipRemaining();
    throw err;
  }
}
