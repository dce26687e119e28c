import { ApplicationFailure, Context } from '@temporalio/activity';
import type { SQL } from 'drizzle-orm';
import { queueDomainEventCte } from '../adapters/events/outbox';
import { type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent } from '../adapters/events/schema';
import type { ImageStore } from '../adapters/images/store';
import { ImageRejected, processUpload } from '../adapters/images/validate';
import { type InferenceClient, InferenceError } from '../adapters/inference';
import type { MealRepository } from '../db/repositories/meals';
import { feedbackProfileOf, type ProfileRepository } from '../db/repositories/profiles';
import { evaluateMealFeedback, type FeedbackMessage, type MealType } from '../domain/feedback';
import { estimateFromLabels, estimateMeal } from '../domain/nutrition/estimate';
import { FoodIndex } from '../domain/nutrition/food-table';
import type { MealEstimate, Nutrients } from '../domain/nutrition/types';
import type { Logger } from '../logger';
import type { StepProgress } from '../contracts/steps';
import type { MealOutcome } from '../domain/meals/vocabulary';
import { recognizeRouted, type RecognizerDeps } from './model-recognition';

export interface MealActivityDeps {
  meals: MealRepository;
  profiles: ProfileRepository;
  images: ImageStore;
  /** Absent when no INFERENCE_URL is configured: photos then ask the person. */
  inference?: InferenceClient;
  /** Canary routing between model versions (docs/model-retraining.md); absent: always `inference`. */
  recognizer?: RecognizerDeps;
  events: EventPublisher;
  logger: Logger;
  foods?: FoodIndex;
}

interface StepContext {
  mealId: string;
}

export interface LoadedMeal {
  userId: string;
  description: string | null;
  imageKey: string | null;
  mealType: string;
  eatenAt: string;
}

export interface RecognizedLabel {
  label: string;
  confidence: number;
  grams?: number;
}

export type RecognitionResult =
  { kind: 'unavailable' } | { kind: 'recognized'; model: string; modelVersion?: string; labels: RecognizedLabel[] };

/** Labels below this confidence are noise for a food classifier's top-k; they are not counted as food. */
export const MIN_LABEL_CONFIDENCE = 0.3;
/** The model sees at most this edge: classifiers take 224-512 px, so bigger only costs bandwidth. */
const MODEL_INPUT_EDGE = 512;

/** Thin adapters: load from the database or image store, call the pure domain, write back idempotently. */
export function createMealActivities(deps: MealActivityDeps) {
  const foods = deps.foods ?? new FoodIndex();
  const log = (ctx: StepContext) => {
    const info = Context.current().info;
    // ids only: never the meal's text
    return deps.logger.child({
      mealId: ctx.mealId,
      activity: info.activityType,
      attempt: info.attempt,
      workflowId: info.workflowExecution?.workflowId,
    });
  };

  return {
    async loadMeal(ctx: StepContext): Promise<LoadedMeal> {
      const meal = await deps.meals.get(ctx.mealId);
      if (!meal) throw ApplicationFailure.nonRetryable(`meal ${ctx.mealId} does not exist`, 'MealNotFound');
      return {
        userId: meal.userId,
        description: meal.description,
        imageKey: meal.imageKey,
        mealType: meal.mealType,
        eatenAt: meal.eatenAt.toISOString(),
      };
    },

    /** The stored (already stripped) photo, reduced to the model's input size and stored under its own key. */
    async preprocessMealImage(
      ctx: StepContext & { imageKey: string },
    ): Promise<{ imageKey: string; width: number; height: number }> {
      const bytes = await deps.images.get(ctx.imageKey);
      if (!bytes)
        throw ApplicationFailure.nonRetryable(`image ${ctx.imageKey} is not in the image store`, 'InvalidImage');
      try {
        const small = await processUpload(bytes, { maxEdge: MODEL_INPUT_EDGE });
        const imageKey = await deps.images.put(small.bytes, small.contentType);
        log(ctx).info({ imageKey, width: small.width, height: small.height }, 'image prepared');
        return { imageKey, width: small.width, height: small.height };
      } catch (err) {
        if (err instanceof ImageRejected) {
          throw ApplicationFailure.nonRetryable(
            err.message,
            err.code === 'unsupported_format' ? 'UnsupportedFormat' : 'InvalidImage',
          );
        }
        throw err;
      }
    },

    async recognizeMealImage(ctx: StepContext & { imageKey: string }): Promise<RecognitionResult> {
      if (!deps.inference) return { kind: 'unavailable' };
      const bytes = await deps.images.get(ctx.imageKey);
      if (!bytes)
        throw ApplicationFailure.nonRetryable(`image ${ctx.imageKey} is not in the image store`, 'InvalidImage');
      const food = (r: { items: RecognizedLabel[] }) => r.items.filter((i) => i.confidence >= MIN_LABEL_CONFIDENCE);
      try {
        const { inference: result, served } = deps.recognizer
          ? await recognizeRouted(deps.recognizer, ctx.mealId, bytes, (r) => food(r).length > 0)
          : { inference: await deps.inference.classify(bytes), served: { model: deps.inference.model } };
        const labels = food(result);
        const modelVersion = served.version ?? result.modelVersion;
        log(ctx).info({ model: served.model, modelVersion, labels: labels.length }, 'photo recognised');
        if (labels.length === 0)
          throw ApplicationFailure.nonRetryable('the model found no food in the photo', 'NoRecognizableFood');
        return { kind: 'recognized', model: served.model, ...(modelVersion ? { modelVersion } : {}), labels };
      } catch (err) {
        if (err instanceof InferenceError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'InferenceRejected');
        throw err; // retryable: timeouts, refused connections, 429/5xx
      }
    },

    /** Pure and fast (runs as a local activity): text or model labels → items and totals. */
    async estimateMealItems(input: { text: string } | { labels: RecognizedLabel[] }): Promise<MealEstimate> {
      const estimate = 'text' in input ? estimateMeal(input.text, foods) : estimateFromLabels(input.labels, foods);
      if (!estimate.items.some((i) => i.recognized)) {
        throw ApplicationFailure.nonRetryable('no food in the meal was recognised', 'NoRecognizableFood');
      }
      return estimate;
    },

    async mealFeedback(
      ctx: StepContext & {
        userId: string;
        eatenAt: string;
        mealType: string;
        totals: Nutrients;
        confidence: number;
        unrecognized: number;
      },
    ): Promise<{ messages: FeedbackMessage[]; caveats: string[]; needsReview: boolean }> {
      const profile = await deps.profiles.get(ctx.userId);
      const eatenAt = new Date(ctx.eatenAt);
      // The person's day in UTC: profiles carry no time zone yet (see README, known gaps).
      const dayStart = new Date(Date.UTC(eatenAt.getUTCFullYear(), eatenAt.getUTCMonth(), eatenAt.getUTCDate()));
      const before = await deps.meals.totalsBetween(ctx.userId, dayStart, eatenAt, ctx.mealId);
      const { personal: userProfile, guidelineProfileId } = feedbackProfileOf(profile);
      const result = evaluateMealFeedback({
        totals: ctx.totals,
        mealType: ctx.mealType as MealType,
        guidelineProfileId,
        userProfile,
        dayTotalsBefore: Object.keys(before).length ? (before as unknown as Nutrients) : undefined,
        itemsUnrecognized: ctx.unrecognized,
        confidence: ctx.confidence,
      });
      if (result.needsReview)
        log(ctx).warn({ reasons: result.reviewReasons }, 'meal flagged for human review (very low intake pattern)');
      return { messages: result.messages, caveats: [result.disclaimer], needsReview: result.needsReview };
    },

    async recordMealAnalysis(
      ctx: StepContext & {
        estimate: MealEstimate;
        feedback: FeedbackMessage[];
        description?: string;
        model?: string;
        modelVersion?: string;
      },
    ): Promise<void> {
      if (ctx.description !== undefined) await deps.meals.setDescription(ctx.mealId, ctx.description);
      const model = ctx.model ? { model: ctx.model, version: ctx.modelVersion } : undefined;
      await deps.meals.upsertAnalysis(ctx.mealId, ctx.estimate, ctx.feedback, model);
      log(ctx).info('meal analysis recorded');
    },

    /**
     * The `publish` step of runs started before patch `meal-event-in-close` (newer runs queue the event in
     * `closeMeal`). Its time is when this step was first scheduled, the same on every retry.
     */
    async publishMealEvent(ctx: StepContext & { userId: string; outcome: MealOutcome }): Promise<void> {
      const time = new Date(Context.current().info.scheduledTimestampMs).toISOString();
      await publishDomainEvent(deps.events, mealAnalyzedEvent(ctx.mealId, ctx.userId, ctx.outcome, time));
    },

    /**
     * Writes the outcome, the steps (each with the attempts it took) and, for a completed meal, its final
     * warnings: warnings are written here only, once every optional step has had its say. With `announce`,
     * the same statement queues `meal.analyzed` in the outbox, timed at the close: the event is stored exactly
     * when the outcome is (a re-run that finds the outcome set writes and queues nothing).
     */
    async closeMeal(
      ctx: StepContext & {
        outcome: MealOutcome;
        reason?: string;
        steps: StepProgress[];
        warnings?: string[];
        announce?: { userId: string };
      },
    ): Promise<void> {
      // This write is the close step completing, so it records itself as completed, with this attempt.
      const attempt = Context.current().info.attempt;
      const steps = ctx.steps.map((s) =>
        s.name === 'close'
          ? { ...s, status: 'completed' as const, attempts: Math.max(1, s.attempts - 1 + attempt) }
          : s,
      );
      const warnings = ctx.outcome === 'completed' ? (ctx.warnings ?? []) : undefined;
      const announce = ctx.announce;
      const queueEvent = announce
        ? (closedAt: Date, closedNow: SQL) =>
            queueDomainEventCte(
              mealAnalyzedEvent(ctx.mealId, announce.userId, ctx.outcome, closedAt.toISOString()),
              closedNow,
            )
        : undefined;
      await deps.meals.close(ctx.mealId, ctx.outcome, ctx.reason, steps, warnings, queueEvent);
      log(ctx).info({ outcome: ctx.outcome }, 'meal closed');
    },

    /** A cancelled batch's meals whose runs never started. */
    async closeUnstartedMeals(input: { mealIds: string[]; reason: string }): Promise<void> {
      await deps.meals.closeMany(input.mealIds, 'cancelled', input.reason);
    },
  };
}

export type MealActivities = ReturnType<typeof createMealActivities>;

/**
 * `wellflow.meal.analyzed` (docs/events.md): ids and the outcome only. A meal closes once, so the event id is
 * `meal.analyzed:<mealId>`; `time` is stable for the fact, so a redelivery is byte-for-byte the same message.
 */
function mealAnalyzedEvent(mealId: string, userId: string, outcome: MealOutcome, time: string) {
  return buildDomainEvent('meal.analyzed', { mealId, userId, outcome }, { key: mealId, time });
}
