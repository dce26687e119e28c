import { setHandler } from '@temporalio/workflow';
import type { CrisisActivities } from '../activities/crisis';
import { SCREENING_STEPS } from '../contracts/crisis-case.policy';
import {
  type JournalScreeningInput,
  type JournalScreeningResult,
  screeningProgressQuery,
} from '../contracts/journal-screening';
import { proxiesFor, StepTracker } from './step-runner';

const acts = proxiesFor<CrisisActivities, keyof typeof SCREENING_STEPS>(SCREENING_STEPS);

/**
 * Screens one journal entry (`journal-<entryId>`, critical queue) and, when it is flagged, hands it to the
 * person's case run. Only ids travel: the activity decrypts the text, and nothing but rule ids, offsets
 * and the tier comes back.
 */
export async function journalScreening(input: JournalScreeningInput): Promise<JournalScreeningResult> {
  const tracker = new StepTracker(SCREENING_STEPS);
  setHandler(screeningProgressQuery, () => ({ steps: tracker.steps }));
  const { tier } = await tracker.required('screen', () => acts.screen.screenJournalEntry({ entryId: input.entryId }));
  if (tier === 'none') {
    tracker.skipRemaining();
    return { entryId: input.entryId, tier };
  }
  const opened = await tracker.required('escalate', () =>
    acts.escalate.openOrJoinCase({ entryId: input.entryId, userId: input.userId, tier }),
  );
  return { entryId: input.entryId, tier, caseWorkflowId: opened.workflowId };
}
