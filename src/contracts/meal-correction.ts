import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

/** Ids only (docs/architecture.md, principle 6): the requested items stay in PostgreSQL, on the revision's row. */
export interface MealCorrectionInput {
  mealId: string;
  userId: string;
  /** The revision row (meal_corrections) this run applies: 1 for the meal's first correction. */
  revision: number;
}

export interface MealCorrectionResult {
  mealId: string;
  revision: number;
  kcal: number;
  items: number;
}

/** A correction run's own status: `applied` once the corrected analysis is stored, `failed` when it could not be. */
export type CorrectionStatus = 'pending' | 'applied' | 'failed';

export interface MealCorrectionProgress {
  status: CorrectionStatus;
  steps: StepProgress[];
  warnings: string[];
}

export const mealCorrectionProgressQuery = defineProgressQuery<MealCorrectionProgress>();

/**
 * `meal-correction-<mealId>-<revision>`: one run per revision of one meal. The API stores the revision row
 * before starting it, and the database allows one pending revision per meal, so corrections of a meal run one
 * at a time and in order; a retried start with the same revision finds its own run instead of a second one.
 */
export const mealCorrectionWorkflowId = (mealId: string, revision: number | string) =>
  `meal-correction-${mealId}-${revision}`;

export const mealCorrectionContract: WorkflowContract<MealCorrectionInput> = {
  workflowType: 'mealCorrection',
  taskQueue: 'default',
  workflowId: (input) => mealCorrectionWorkflowId(input.mealId, input.revision),
  searchAttributes: (input) => ownedBy(input.userId, 'pending' satisfies CorrectionStatus),
};
