import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MealRepository, MealOutcome } from '../db/repositories/meals';
import { estimateMeal } from '../domain/nutrition/estimate';
import { FoodIndex } from '../domain/nutrition/food-table';
import type { MealEstimate } from '../domain/nutrition/types';
import type { Logger } from '../logger';
import type { StepProgress } from '../workflows/policy';

export interface MealActivityDeps {
  meals: MealRepository;
  logger: Logger;
  foods?: FoodIndex;
}

interface StepContext {
  mealId: string;
  requestId?: string;
}

/** Thin adapters: load from the database, call the pure domain, write back idempotently. */
export function createMealActivities(deps: MealActivityDeps) {
  const foods = deps.foods ?? new FoodIndex();
  const log = (ctx: StepContext) => {
    const info = Context.current().info;
    // ids only: never the meal's text
    return deps.logger.child({ mealId: ctx.mealId, requestId: ctx.requestId, activity: info.activityType, attempt: info.attempt, workflowId: info.workflowExecution?.workflowId });
  };

  return {
    async analyzeMealText(ctx: StepContext): Promise<MealEstimate> {
      const meal = await deps.meals.get(ctx.mealId);
      if (!meal) throw ApplicationFailure.nonRetryable(`meal ${ctx.mealId} does not exist`, 'MealNotFound');
      if (!meal.description?.trim()) throw ApplicationFailure.nonRetryable('the meal has no description to analyse', 'NoDescription');
      const estimate = estimateMeal(meal.description, foods);
      if (!estimate.items.some((i) => i.recognized)) {
        throw ApplicationFailure.nonRetryable('no food in the description was recognised', 'NoRecognizableFood');
      }
      log(ctx).info({ items: estimate.items.length, kcal: estimate.totals.kcal }, 'meal estimated');
      return estimate;
    },

    async recordMealAnalysis(ctx: StepContext & { estimate: MealEstimate; warnings: string[] }): Promise<void> {
      await deps.meals.upsertAnalysis(ctx.mealId, ctx.estimate, [], [...ctx.estimate.warnings, ...ctx.warnings]);
      log(ctx).info('meal analysis recorded');
    },

    async closeMeal(ctx: StepContext & { outcome: MealOutcome; reason?: string; steps: StepProgress[] }): Promise<void> {
      // This write is the close step completing, so it records itself as completed.
      const steps = ctx.steps.map((s) => (s.name === 'close' ? { ...s, status: 'completed' as const } : s));
      await deps.meals.close(ctx.mealId, ctx.outcome, ctx.reason, steps);
      log(ctx).info({ outcome: ctx.outcome }, 'meal closed');
    },
  };
}

export type MealActivities = ReturnType<typeof createMealActivities>;
