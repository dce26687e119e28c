import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LoadedMeal, MealActivities, RecognitionResult } from '../activities/meals';
import {
  describeMealUpdate,
  type MealAnalysisInput,
  type MealAnalysisResult,
  mealProgressQuery,
} from '../contracts/meal-analysis';
import {
  DEFAULT_INPUT_TIMEOUT,
  MEAL_ANALYSIS_STEPS,
  MEAL_STEPS_REMOTE_BEFORE_LOCAL,
  MEAL_STEPS_WITH_PUBLISH,
} from '../contracts/meal-analysis.policy';
import { StatusKey } from '../contracts/search-attributes';
import { MAX_DESCRIPTION_LENGTH, type MealOutcome, type MealStatus } from '../domain/meals/vocabulary';
import { asRegular, describeFailure, proxiesFor, StepTracker } from './step-runner';

/** Every step a run may take: today's table plus `publish`, kept by runs started before `meal-event-in-close`. */
type MealSteps = keyof typeof MEAL_STEPS_WITH_PUBLISH;
/** A text meal's steps are local activities: it runs in one workflow task (an uncalled proxy makes no command). */
const localActs = proxiesFor<MealActivities, MealSteps>(MEAL_STEPS_WITH_PUBLISH);
/** Runs started before patch `meal-local-steps` scheduled these steps as regular activities, and replay so. */
const regularActs = proxiesFor<MealActivities, MealSteps>(
  asRegular<MealSteps>(MEAL_STEPS_WITH_PUBLISH, MEAL_STEPS_REMOTE_BEFORE_LOCAL),
);

/** What the meal is, once known: its row, and its text or what the model recognised in its photo. */
interface Understood {
  meal: LoadedMeal;
  text?: string;
  recognition?: RecognitionResult;
  /** The description the person gave while the meal waited in needs_input. */
  answered?: string;
}

/** One meal's run: its status and progress (for the query), the needs_input answer, and its phases. */
export class MealRun {
  private status: MealStatus = 'queued';
  private question: string | undefined;
  private answer: string | undefined;
  private readonly ctx: { mealId: string };
  /**
   * patched(): new runs take the local-activity path and set the status search attribute only where a list
   * needs it (needs_input and the outcome), not `running` at start; older runs replay their recorded commands.
   */
  private readonly local = patched('meal-local-steps');
  private readonly acts = this.local ? localActs : regularActs;
  /**
   * patched(): new runs queue the meal's event in close's own transaction (no `publish` step, so the step list
   * has none); runs started before it replay, and finish, with `publish` before `close`.
   */
  private readonly eventInClose = patched('meal-event-in-close');
  readonly tracker = new StepTracker(this.eventInClose ? MEAL_ANALYSIS_STEPS : MEAL_STEPS_WITH_PUBLISH);

  constructor(private readonly input: MealAnalysisInput) {
    this.ctx = { mealId: input.mealId };
  }

  /** The run has begun: older runs announced it in the search attribute; newer ones keep `queued` until the end. */
  begin(): void {
    if (this.local) this.status = 'running';
    else this.setStatus('running');
  }

  installHandlers(): void {
    setHandler(mealProgressQuery, () => ({
      status: this.status,
      steps: this.tracker.steps,
      warnings: this.tracker.warnings,
      ...(this.question ? { question: this.question } : {}),
    }));
    setHandler(
      describeMealUpdate,
      (description) => {
        this.answer = description.trim();
        return { accepted: true as const };
      },
      {
        validator: (description) => {
          if (this.status !== 'needs_input' || this.answer !== undefined) {
            throw new Error('This meal is not waiting for a description');
          }
          if (typeof description !== 'string' || !description.trim()) throw new Error('description must not be empty');
          if (description.length > MAX_DESCRIPTION_LENGTH) {
            throw new Error(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
          }
        },
      },
    );
  }

  setStatus(status: MealStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: StatusKey, value: status }]);
  }

  /** load; a photo → preprocess → recognize; a photo nobody recognised waits for the person's words. */
  async understand(): Promise<Understood> {
    const { tracker, ctx, acts } = this;
    const meal = await tracker.required('load', () => acts.load.loadMeal(ctx));
    const text = meal.description ?? undefined;
    let recognition: RecognitionResult | undefined;
    if (meal.imageKey) {
      const imageKey = meal.imageKey;
      const prepared = await tracker.required('preprocess', () =>
        acts.preprocess.preprocessMealImage({ ...ctx, imageKey }),
      );
      if (!text) {
        recognition = await tracker.optional('recognize', () =>
          acts.recognize.recognizeMealImage({ ...ctx, imageKey: prepared.imageKey }),
        );
        if (recognition?.kind === 'unavailable') tracker.step('recognize').status = 'skipped';
      }
    }
    if (text || recognition?.kind === 'recognized') return { meal, text, recognition };
    const answered = await this.askThePerson(recognition);
    return { meal, text: answered, recognition, answered };
  }

  /** needs_input: a durable wait for the describe update, bounded by the input timeout. */
  private async askThePerson(recognition: RecognitionResult | undefined): Promise<string> {
    this.question =
      recognition?.kind === 'unavailable'
        ? 'No photo recognition is available: what did you eat?'
        : 'The photo could not be recognised: what did you eat?';
    this.setStatus('needs_input');
    const timeout = this.input.inputTimeout ?? DEFAULT_INPUT_TIMEOUT;
    if (!(await condition(() => this.answer !== undefined, timeout))) {
      throw ApplicationFailure.nonRetryable(`no description was given within ${timeout}`, 'NeedsInputTimeout');
    }
    this.question = undefined;
    this.setStatus('running');
    return this.answer!;
  }

  /** estimate → feedback (optional) → record → close (which queues the meal's event). */
  async analyse({ meal, text, recognition, answered }: Understood): Promise<MealAnalysisResult> {
    const { tracker, ctx, input, acts } = this;
    tracker.skipRemaining(['estimate', 'feedback', 'record', 'publish', 'close']);
    const labels = recognition?.kind === 'recognized' ? recognition.labels : [];
    const estimate = await tracker.required('estimate', () =>
      acts.estimate.estimateMealItems(text ? { text } : { labels }),
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
        ...(answered ? { description: answered } : {}),
        ...(recognition?.kind === 'recognized'
          ? {
              model: recognition.model,
              ...(recognition.modelVersion ? { modelVersion: recognition.modelVersion } : {}),
            }
          : {}),
      }),
    );
    await this.publishBeforeClose('completed');
    await tracker.required('close', () =>
      acts.close.closeMeal({
        ...ctx,
        outcome: 'completed',
        steps: tracker.steps,
        warnings: warnings(),
        ...this.announceInClose(),
      }),
    );
    this.setStatus('completed');
    const recognized = estimate.items.filter((i) => i.recognized).length;
    const result = { mealId: input.mealId, kcal: estimate.totals.kcal, items: estimate.items.length, recognized };
    return { ...result, warnings: warnings() };
  }

  /** Runs started before `meal-event-in-close`: the optional `publish` step that queued the event before close. */
  private async publishBeforeClose(outcome: MealOutcome): Promise<void> {
    if (this.eventInClose) return;
    const { tracker, ctx, input, acts } = this;
    await tracker.optional('publish', () => acts.publish.publishMealEvent({ ...ctx, userId: input.userId, outcome }));
  }

  /** What close needs to queue the meal's event in its own transaction (runs since `meal-event-in-close`). */
  private announceInClose(): { announce?: { userId: string } } {
    return this.eventInClose ? { announce: { userId: this.input.userId } } : {};
  }

  /** Writes (and announces) a failed or cancelled outcome, and returns the error the run ends with. */
  async fail(err: unknown): Promise<unknown> {
    const { tracker, ctx, acts } = this;
    // patched(): runs that failed before failures were announced replay without the publish step. Runs that
    // queue their event in close announce every outcome, and need no such marker.
    const announce = this.eventInClose || patched('meal-outcome-events');
    tracker.skipRemaining(announce ? ['publish', 'close'] : ['close']);
    const cancelled = isCancellation(err);
    const reason = cancelled ? 'cancelled by request' : describeFailure(err);
    const outcome = cancelled ? 'cancelled' : 'failed';
    // The outcome must be written (and announced) even when the run is being cancelled: non-cancellable.
    await CancellationScope.nonCancellable(async () => {
      if (announce) await this.publishBeforeClose(outcome);
      await tracker.required('close', () =>
        acts.close.closeMeal({
          ...ctx,
          outcome,
          reason,
          steps: tracker.steps,
          warnings: tracker.warnings,
          ...this.announceInClose(),
        }),
      );
    });
    this.setStatus(outcome);
    return cancelled ? err : ApplicationFailure.nonRetryable(`Meal analysis failed: ${reason}`, 'MealAnalysisFailed');
  }
}
