import { patched, setHandler } from '@temporalio/workflow';
import type { AccountErasureActivities } from '../activities/account-erasure';
import {
  type AccountErasureInput,
  accountErasureProgressQuery,
  type AccountErasureResult,
  type AccountErasureState,
} from '../contracts/account-erasure';
import { ACCOUNT_ERASURE_STEPS } from '../contracts/account-erasure.policy';
import { proxiesFor, StepTracker } from './step-runner';

/** The patch id of the data-key step (added after erasures were already running). */
const DATA_KEY_STEP_PATCH = 'erasure-destroy-data-key';

const acts = proxiesFor<AccountErasureActivities, keyof typeof ACCOUNT_ERASURE_STEPS>(ACCOUNT_ERASURE_STEPS);

/**
 * One person's erasure (`erasure-<userId>`, docs/account-lifecycle.md, Erasure): mark them erased first (the
 * API answers 410 and starts nothing new for them), cancel their running work and wait for it to close, delete
 * their schedules, then their rows and files page by page, destroy their journal data key (crypto-shredding),
 * keep their crisis cases for the clinical record (staff notified), delete their closed histories, publish
 * `wellflow.user.erased` and stamp the receipt. Every step is idempotent and retried until it succeeds, so a
 * crash anywhere resumes where it stopped; the receipt's counts are written with each deletion.
 */
export async function accountErasure(input: AccountErasureInput): Promise<AccountErasureResult> {
  const tracker = new StepTracker(ACCOUNT_ERASURE_STEPS);
  let state: AccountErasureState = 'marking';
  setHandler(accountErasureProgressQuery, () => ({ state, steps: tracker.steps, warnings: tracker.warnings }));
  const { userId } = input;

  await tracker.required('mark', () => acts.mark.markAccountErased(input));
  state = 'closing-runs';
  await tracker.required('cancelRuns', () => acts.cancelRuns.cancelPersonRuns({ userId }));
  await tracker.required('schedules', () => acts.schedules.deletePersonSchedules({ userId }));
  state = 'deleting';
  await tracker.required('meals', () => acts.meals.eraseMeals({ userId }));
  await tracker.required('rows', () => acts.rows.erasePersonRows({ userId }));
  await tracker.required('exports', () => acts.exports.eraseAccountExports({ userId }));
  // Crypto-shredding, after the rows: runs that were past this point before the step existed skip it.
  if (patched(DATA_KEY_STEP_PATCH))
    await tracker.required('dataKey', () => acts.dataKey.destroyJournalDataKey({ userId }));
  state = 'notifying';
  await tracker.required('crisis', () => acts.crisis.retainCrisisCases({ userId }));
  await tracker.optional('histories', () => acts.histories.deletePersonHistories({ userId }));
  await tracker.required('publish', () => acts.publish.publishUserErased({ userId }));
  const done = await tracker.required('finish', () => acts.finish.completeAccountErasure({ userId }));
  state = 'completed';
  return { userId, counts: done.counts, completedAt: done.completedAt };
}
