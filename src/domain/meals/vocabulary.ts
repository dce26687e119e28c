/**
 * The meal vocabulary every layer shares (API schemas, workflows, repositories, events): defined here once
 * and imported, never redeclared.
 */

export const MEAL_TYPES = ['breakfast', 'lunch', 'dinner', 'snack', 'unspecified'] as const;
export type MealType = (typeof MEAL_TYPES)[number];

/** How a meal ends: the outcome its close step writes. */
export const MEAL_OUTCOMES = ['completed', 'failed', 'cancelled'] as const;
export type MealOutcome = (typeof MEAL_OUTCOMES)[number];

/**
 * A meal's status as people see it: waiting for a worker, being analysed, waiting for the person's
 * description of a photo nobody could recognise, or one of the outcomes.
 */
export const MEAL_STATUSES = ['queued', 'running', 'needs_input', ...MEAL_OUTCOMES] as const;
export type MealStatus = (typeof MEAL_STATUSES)[number];

/** A meal inside a batch: never waits for input (batch items are text). */
export type BatchItemStatus = Exclude<MealStatus, 'needs_input'>;
export const BATCH_ITEM_STATUSES = MEAL_STATUSES.filter((s): s is BatchItemStatus => s !== 'needs_input');

/** Longest meal description accepted anywhere (API, batch item, needs_input answer). */
export const MAX_DESCRIPTION_LENGTH = 2000;

export function isTerminalMealStatus(status: MealStatus): status is MealOutcome {
  return (MEAL_OUTCOMES as readonly string[]).includes(status);
}
