import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { MealCorrectionActivities } from '../activities/meal-correction';
import {
  type CorrectionStatus,
  type MealCorrectionInput,
  mealCorrectionProgressQuery,
  type MealCorrectionResult,
} from '../contracts/meal-correction';
import { MEAL_CORRECTION_STEPS } from '../contracts/meal-correction.policy';
import { StatusKey } from '../contracts/search-attributes';
import { describeFailure, proxiesFor, StepTracker } from './step-runner';

const acts = proxiesFor<MealCorrectionActivities, keyof typeof MEAL_CORRECTION_STEPS>(MEAL_CORRECTION_STEPS);

/**
 * One revision of a meal's items (`meal-correction-<mealId>-<revision>`): estimate the requested items →
 * feedback (optional) → apply (keep the replaced analysis, write the corrected one, mark the week's insight
 * stale). Only ids travel; every step reads and writes the revision's row. A failure or a cancel marks the
 * revision failed, so the meal accepts the next correction.
 */
export async function mealCorrection(input: MealCorrectionInput): Promise<MealCorrectionResult> {
  const tracker = new StepTracker(MEAL_CORRECTION_STEPS);
  let status: CorrectionStatus = 'pending';
  setHandler(mealCorrectionProgressQuery, () => ({ status, steps: tracker.steps, warnings: tracker.warnings }));
  const setStatus = (s: CorrectionStatus) => {
    status = s;
    upsertSearchAttributes([{ key: StatusKey, value: s }]);
  };
  const ref = { mealId: input.mealId, revision: input.revision };
  try {
    const estimate = await tracker.required('estimate', () => acts.estimate.estimateMealCorrection(ref));
    await tracker.optional('feedback', () => acts.feedback.mealCorrectionFeedback(ref));
    await tracker.required('apply', () => acts.apply.applyMealCorrection({ ...ref, warnings: tracker.warnings }));
    tracker.skipRemaining();
    setStatus('applied');
    return { ...ref, kcal: estimate.kcal, items: estimate.items };
  } catch (err) {
    tracker.skipRemaining(['fail']);
    const reason = isCancellation(err) ? 'cancelled by request' : describeFailure(err);
    // The revision must leave `pending` even when the run is being cancelled, or the meal stays locked.
    await CancellationScope.nonCancellable(() =>
      tracker.required('fail', () => acts.fail.failMealCorrection({ ...ref, reason })),
    );
    setStatus('failed');
    throw isCancellation(err)
      ? err
      : ApplicationFailure.nonRetryable(`Meal correction failed: ${reason}`, 'MealCorrectionFailed');
  }
}
