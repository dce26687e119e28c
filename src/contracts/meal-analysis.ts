import { defineUpdate } from '@temporalio/workflow';
import type { MealStatus } from '../domain/meals/vocabulary';
import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

export interface MealAnalysisInput {
  mealId: string;
  userId: string;
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

export interface MealProgress {
  status: MealStatus;
  steps: StepProgress[];
  warnings: string[];
  /** Why the meal is waiting, while it is in needs_input. */
  question?: string;
}

export const mealProgressQuery = defineProgressQuery<MealProgress>();
/** The person's answer to a meal waiting in needs_input; rejected (and not stored) in any other state. */
export const describeMealUpdate = defineUpdate<{ accepted: true }, [string]>('describeMeal');

/**
 * `meal-<mealId>`: one run per meal for the meal's whole life (the API and a batch start the same id, so a
 * meal can never be analysed twice at once, and its status is always found from the meal row alone).
 * Default queue; its image and model steps go to the heavy queue by their step policy.
 */
export const mealWorkflowId = (mealId: string) => `meal-${mealId}`;

export const mealAnalysisContract: WorkflowContract<MealAnalysisInput> = {
  workflowType: 'mealAnalysis',
  taskQueue: 'default',
  workflowId: (input) => mealWorkflowId(input.mealId),
  searchAttributes: (input) => ownedBy(input.userId, 'queued' satisfies MealStatus),
};
