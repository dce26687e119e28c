import { dayRules } from './rules-day';
import { dvRules } from './rules-dv';
import { estimateRules } from './rules-estimate';
import { mealRules } from './rules-meal';
import { portionRules } from './rules-portion';
import type { FeedbackRule } from './types';

/**
 * The rules: each is data (code, profiles it applies to, tone) plus one pure function. A rule returns
 * undefined when it has nothing to say. The engine adds the code, drops praise and "limit" advice when intake
 * looks very low, and sorts the messages. Numbers come from the selected guideline profile, never from here,
 * except the few design choices in rules-thresholds.ts, which are ours and say so. One file per kind of rule:
 * rules-estimate, rules-portion (UK), rules-dv (FDA %DV), rules-meal (meal share), rules-day (the day so far).
 */

export { ENERGY_ABOVE_SHARE_FACTOR, LOW_CONFIDENCE_THRESHOLD, MIN_KCAL_FOR_LOW_FIBER_ADVICE } from './rules-thresholds';

/** All rules, in definition order (the engine sorts the output, so this order does not leak into results). */
export const RULES: readonly FeedbackRule[] = Object.freeze([
  ...estimateRules,
  ...portionRules,
  ...dvRules,
  ...mealRules,
  ...dayRules,
]);
