import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { MealActivities } from '../activities/meals';
import type { MealEstimate } from '../domain/nutrition/types';
import { StatusKey } from '../temporal/search-attributes';
import { MEAL_ANALYSIS_STEPS } from './meal-analysis.policy';
import type { StepProgress } from './policy';
import { describeFailure, proxiesFor, StepTracker } from './step-runner';

export interface MealAnalysisInput {
  mealId: string;
  userId: string;
  /** The HTTP request that started the run, for log correlation. */
  requestId?: string;
}

export interface MealAnalysisResult {
  mealId: string;
  kcal: number;
  items: number;
  recognized: number;
  warnings: string[];
}

export type MealRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface MealProgress {
  status: MealRunStatus;
  steps: StepProgress[];
  warnings: string[];
}

export const mealProgressQuery = defineQuery<MealProgress>('progress');

const acts = proxiesFor<MealActivities, keyof typeof MEAL_ANALYSIS_STEPS>(MEAL_ANALYSIS_STEPS);

/** Meal text → estimate → stored analysis → outcome. Only ids travel in the input; activities read the meal. */
export async function mealAnalysis(input: MealAnalysisInput): Promise<MealAnalysisResult> {
  const tracker = new StepTracker(MEAL_ANALYSIS_STEPS);
  let status: MealRunStatus = 'queued';
  setHandler(mealProgressQuery, () => ({ status, steps: tracker.steps, warnings: tracker.warnings }));
  const setStatus = (s: MealRunStatus) => {
    status = s;
    upsertSearchAttributes([{ key: StatusKey, value: s }]);
  };
  const ctx = { mealId: input.mealId, requestId: input.requestId };

  setStatus('running');
  try {
    const estimate: MealEstimate = await tracker.required('analyze', () => acts.analyze.analyzeMealText(ctx));
    await tracker.required('record', () => acts.record.recordMealAnalysis({ ...ctx, estimate, warnings: tracker.warnings }));
    await tracker.required('close', () => acts.close.closeMeal({ ...ctx, outcome: 'completed', steps: tracker.steps }));
    setStatus('completed');
    return {
      mealId: input.mealId,
      kcal: estimate.totals.kcal,
      items: estimate.items.length,
      recognized: estimate.items.filter((i) => i.recognized).length,
      warnings: [...estimate.warnings, ...tracker.warnings],
    };
  } catch (err) {
    tracker.skipRemaining(['close']);
    const cancelled = isCancellation(err);
    const reason = cancelled ? 'cancelled by request' : describeFailure(err);
    // The outcome must be written even when the run is being cancelled: a non-cancellable scope.
    await CancellationScope.nonCancellable(() =>
      tracker.required('close', () => acts.close.closeMeal({ ...ctx, outcome: cancelled ? 'cancelled' : 'failed', reason, steps: tracker.steps })),
    );
    setStatus(cancelled ? 'cancelled' : 'failed');
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(`Meal analysis failed: ${reason}`, 'MealAnalysisFailed');
  }
}
