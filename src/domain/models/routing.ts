/**
 * Canary routing of photo meals between the model in use and a candidate (docs/model-retraining.md). Pure:
 * the recognise step and its tests decide the same way for the same meal.
 */
export type ModelRoute = 'current' | 'candidate';

/**
 * The meal's position in [0, 1): FNV-1a over its id. Deterministic by meal id, so every retry of a meal's
 * recognise step goes to the same model, and the share of meals routed follows the share configured.
 */
export function canaryBucket(mealId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < mealId.length; i++) {
    h ^= mealId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/** `candidate` for the meals whose bucket falls below the canary share; everything else stays on the current model. */
export function routeFor(mealId: string, canaryShare: number): ModelRoute {
  return canaryShare > 0 && canaryBucket(mealId) < canaryShare ? 'candidate' : 'current';
}
