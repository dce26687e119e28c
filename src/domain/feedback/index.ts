/**
 * Meal feedback: guideline profiles (WHO, US DGA + FDA DV, UK front-of-pack), daily targets, and a small pure
 * rule engine that turns a meal's nutrient totals into sourced, non-judgemental messages.
 */
export * from './types';
export {
  DEFAULT_PROFILE_ID,
  GUIDELINE_PROFILES,
  getGuidelineProfile,
  isGuidelineProfileId,
  profileIds,
} from './profiles';
export {
  ACTIVITY_FACTORS,
  assertValidUserProfile,
  dailyTargets,
  ENERGY_FLOOR_KCAL,
  MEAL_SHARES,
  mealShare,
  MIFFLIN_SEX_CONSTANT,
  mifflinStJeorBmr,
  USER_PROFILE_LIMITS,
  validateUserProfile,
} from './targets';
export { ENERGY_ABOVE_SHARE_FACTOR, LOW_CONFIDENCE_THRESHOLD, MIN_KCAL_FOR_LOW_FIBER_ADVICE, RULES } from './rules';
export {
  disclaimerFor,
  evaluateMealFeedback,
  LATE_HOUR,
  MEAL_FAR_BELOW_FRACTION,
  RULES_VERSION,
  SEVERITY_ORDER,
  validateMealFeedbackInput,
} from './engine';
export { BANNED_PHRASES, findBannedWording } from './wording';
