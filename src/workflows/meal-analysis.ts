import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { MealActivities, RecognitionResult } from '../activities/meals';
import type { MealEstimate } from '../domain/nutrition/types';
import { StatusKey } from '../temporal/search-attributes';
import { DEFAULT_INPUT_TIMEOUT, MEAL_ANALYSIS_STEPS } from './meal-analysis.policy';
import type { StepProgress } from './policy';
import { describeFailure, proxiesFor, StepTracker } from './step-runner';

export interface MealAnalysisInput {
  mealId: string;
  userId: string;
  /** The HTTP request that started the run, for log correlation. */
  requestId?: string;
  /** How long a photo-only meal waits in needs_input (Temporal duration, e.g. '24h'). */
  inputTimeout?: string;
}

export interface MealAnalysisResult {
  mealId: string;
  kcal: number;
  items: number;
  recognized: number;
  warnings: string[];
}

export type MealRunStatus = 'queued' | 'running' | 'needs_input' | 'completed' | 'failed' | 'cancelled';

export interface MealProgress {
  status: MealRunStatus;
  steps: StepProgress[];
  warnings: string[];
  /** Why the meal is waiting, while it is in needs_input. */
  question?: string;
}

export const mealProgressQuery = defineQuery<MealProgress>('progress');
/** The person's answer to a meal waiting in needs_input; rejected (and not stored) in any other state. */
export const describeMealUpdate = defineUpdate<{ accepted: true }, [string]>('describeMeal');

export const MAX_DESCRIPTION_LENGTH = 2000;

const acts = proxiesFor<MealActivities, keyof typeof MEAL_ANALYSIS_STEPS>(MEAL_ANALYSIS_STEPS);

/**
 * A meal from text and/or photo to a stored analysis. Only ids travel in the input; `load` reads the meal,
 * and every payload (descriptions, estimates) is encrypted by the codec.
 * text → estimate; photo → preprocess → recognize (model server) → estimate; a photo that cannot be
 * recognised waits durably for the person's description (needs_input) → estimate; then feedback, record,
 * publish, close.
 */
export async function mealAnalysis(input: MealAnalysisInput): Promise<MealAnalysisResult> {
  const tracker = new StepTracker(MEAL_ANALYSIS_STEPS);
  let status: MealRunStatus = 'queued';
  let question: string | undefined;
  let answer: string | undefined;
  setHandler(mealProgressQuery, () => ({
    status,
    steps: tracker.steps,
    warnings: tracker.warnings,
    ...(question ? { question } : {}),
  }));
  setHandler(
    describeMealUpdate,
    (description) => {
      answer = description.trim();
      return { accepted: true as const };
    },
    {
      validator: (description) => {
        if (status !== 'needs_input' || answer !== undefined)
          throw new Error('This meal is not waiting for a description');
        if (typeof description !== 'string' || !description.trim()) throw new Error('description must not be empty');
        if (description.length > MAX_DESCRIPTION_LENGTH)
          throw new Error(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
      },
    },
  );
  const setStatus = (s: MealRunStatus) => {
    status = s;
    upsertSearchAttributes([{ key: StatusKey, value: s }]);
  };
  const ctx = { mealId: input.mealId, requestId: input.requestId };

  setStatus('running');
  try {
    const meal = await tracker.required('load', () => acts.load.loadMeal(ctx));
    let text = meal.description ?? undefined;
    let recognition: RecognitionResult | undefined;
    let answered: string | undefined;

    if (meal.imageKey) {
      const prepared = await tracker.required('preprocess', () =>
        acts.preprocess.preprocessMealImage({ ...ctx, imageKey: meal.imageKey! }),
      );
      if (!text) {
        recognition = await tracker.optional('recognize', () =>
          acts.recognize.recognizeMealImage({ ...ctx, imageKey: prepared.imageKey }),
        );
        if (recognition?.kind === 'unavailable') tracker.step('recognize').status = 'skipped';
      }
    }
    if (!text && recognition?.kind !== 'recognized') {
      question =
        recognition?.kind === 'unavailable'
          ? 'No photo recognition is available: what did you eat?'
          : 'The photo could not be recognised: what did you eat?';
      setStatus('needs_input');
      const timeout = input.inputTimeout ?? DEFAULT_INPUT_TIMEOUT;
      if (!(await condition(() => answer !== undefined, timeout))) {
        throw ApplicationFailure.nonRetryable(`no description was given within ${timeout}`, 'NeedsInputTimeout');
      }
      question = undefined;
      setStatus('running');
      text = answered = answer;
    }
    tracker.skipRemaining(['estimate', 'feedback', 'record', 'publish', 'close']);

    const estimate: MealEstimate = await tracker.required('estimate', () =>
      acts.estimate.estimateMealItems(
        text ? { text } : { labels: recognition!.kind === 'recognized' ? recognition!.labels : [] },
      ),
    );
    const feedback = await tracker.optional('feedback', () =>
      acts.feedback.mealFeedback({
        ...ctx,
        userId: input.userId,
        eatenAt: meal.eatenAt,
        mealType: meal.mealType,
        totals: estimate.totals,
        confidence: estimate.confidence,
        unrecognized: estimate.items.filter((i) => !i.recognized).length,
      }),
    );
    const warnings = () => [...estimate.warnings, ...(feedback?.caveats ?? []), ...tracker.warnings];
    await tracker.required('record', () =>
      acts.record.recordMealAnalysis({
        ...ctx,
        estimate,
        feedback: feedback?.messages ?? [],
        warnings: warnings(),
        ...(answered ? { description: answered } : {}),
        ...(recognition?.kind === 'recognized' ? { model: recognition.model } : {}),
      }),
    );
    await tracker.optional('publish', () =>
      acts.publish.publishMealEvent({ ...ctx, userId: input.userId, outcome: 'completed' }),
    );
    await tracker.required('close', () =>
      acts.close.closeMeal({ ...ctx, outcome: 'completed', steps: tracker.steps, warnings: warnings() }),
    );
    setStatus('completed');
    return {
      mealId: input.mealId,
      kcal: estimate.totals.kcal,
      items: estimate.items.length,
      recognized: estimate.items.filter((i) => i.recognized).length,
      warnings: warnings(),
    };
  } catch (err) {
    // patched(): runs that failed before failures were announced replay without the publish step.
    const announce = patched('meal-outcome-events');
    tracker.skipRemaining(announce ? ['publish', 'close'] : ['close']);
    const cancelled = isCancellation(err);
    const reason = cancelled ? 'cancelled by request' : describeFailure(err);
    const outcome = cancelled ? 'cancelled' : 'failed';
    // The outcome must be written (and announced) even when the run is being cancelled: non-cancellable.
    await CancellationScope.nonCancellable(async () => {
      if (announce)
        await tracker.optional('publish', () =>
          acts.publish.publishMealEvent({ ...ctx, userId: input.userId, outcome }),
        );
      await tracker.required('close', () =>
        acts.close.closeMeal({ ...ctx, outcome, reason, steps: tracker.steps, warnings: tracker.warnings }),
      );
    });
    setStatus(cancelled ? 'cancelled' : 'failed');
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(`Meal analysis failed: ${reason}`, 'MealAnalysisFailed');
  }
}
