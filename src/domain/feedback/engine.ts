import { NUTRIENT_KEYS, type Nutrients } from '../nutrition/types';
import { DEFAULT_PROFILE_ID, getGuidelineProfile, isGuidelineProfileId, profileIds } from './profiles';
import { RULES } from './rules';
import { dailyTargets, mealShare, validateUserProfile } from './targets';
import {
  FeedbackInputError,
  type FeedbackMessage,
  type FeedbackRule,
  type LowIntakeReason,
  MEAL_TYPES,
  type MealFeedbackInput,
  type MealFeedbackResult,
  type MealType,
  type RuleContext,
  type Severity,
  type ValidationIssue,
} from './types';

/**
 * Runs the rules for one meal. Pure and deterministic: no clock, no randomness, no I/O; the output depends
 * only on the input, and messages come out sorted by severity then code.
 */

/** Bumped whenever a rule, its wording or the engine's logic changes (profiles carry their own version). */
export const RULES_VERSION = 'feedback-rules-1.0.0';

/** Most important first. */
export const SEVERITY_ORDER: readonly Severity[] = ['caution', 'suggestion', 'positive', 'info'];

/**
 * A main meal under a quarter of its usual share of the day counts as "far below". Our choice, not a guideline:
 * low enough that an ordinary light meal does not trip it. Snacks and meals of unknown type are never judged
 * this way (a coffee or a piece of fruit is a normal snack).
 */
export const MEAL_FAR_BELOW_FRACTION = 0.25;
const MAIN_MEALS: readonly MealType[] = ['breakfast', 'lunch', 'dinner'];
/** "Late in the day": dinner, or any meal at 19:00 local time or later. */
export const LATE_HOUR = 19;

export function disclaimerFor(profileName: string): string {
  return `General guidance for healthy adults, based on ${profileName}. It is not meant for children or teenagers, during pregnancy or breastfeeding, or for clinical or medically supervised diets; in those cases please follow advice from a health professional.`;
}

function nutrientIssues(field: string, value: unknown): ValidationIssue[] {
  if (value === null || typeof value !== 'object') return [{ field, message: 'must be an object of nutrient amounts' }];
  const n = value as Record<string, unknown>;
  return NUTRIENT_KEYS.flatMap((k) => {
    const v = n[k];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0
      ? []
      : [{ field: `${field}.${k}`, message: 'must be a finite number >= 0' }];
  });
}

/** Every problem with the input (empty when it is usable). */
export function validateMealFeedbackInput(input: unknown): ValidationIssue[] {
  if (input === null || typeof input !== 'object') return [{ field: 'input', message: 'must be an object' }];
  const i = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [...nutrientIssues('totals', i.totals)];
  if (i.dayTotalsBefore !== undefined) issues.push(...nutrientIssues('dayTotalsBefore', i.dayTotalsBefore));
  if (i.mealType !== undefined && !MEAL_TYPES.includes(i.mealType as MealType)) {
    issues.push({ field: 'mealType', message: `must be one of ${MEAL_TYPES.join(', ')}` });
  }
  if (i.guidelineProfileId !== undefined && !isGuidelineProfileId(i.guidelineProfileId)) {
    issues.push({ field: 'guidelineProfileId', message: `must be one of ${profileIds.join(', ')}` });
  }
  if (i.userProfile !== undefined) {
    issues.push(
      ...validateUserProfile(i.userProfile).map((x) => ({
        ...x,
        field: x.field === 'userProfile' ? x.field : `userProfile.${x.field}`,
      })),
    );
  }
  const c = i.confidence;
  if (c !== undefined && !(typeof c === 'number' && c >= 0 && c <= 1))
    issues.push({ field: 'confidence', message: 'must be a number from 0 to 1' });
  const u = i.itemsUnrecognized;
  if (u !== undefined && !(Number.isInteger(u) && (u as number) >= 0))
    issues.push({ field: 'itemsUnrecognized', message: 'must be a whole number >= 0' });
  const h = i.localHour;
  if (h !== undefined && !(Number.isInteger(h) && (h as number) >= 0 && (h as number) <= 23)) {
    issues.push({ field: 'localHour', message: 'must be a whole hour from 0 to 23' });
  }
  return issues;
}

const addNutrients = (a: Nutrients, b: Nutrients): Nutrients =>
  Object.fromEntries(NUTRIENT_KEYS.map((k) => [k, a[k] + b[k]])) as unknown as Nutrients;

/**
 * Very low intake is flagged for human review rather than praised: a day still under the energy floor late in
 * the day, or a main meal far below its usual share (unless the day's totals show the floor is already met).
 * A meal with unrecognised items is not judged small: its totals count those items as zero.
 */
function lowIntakeReasons(
  ctx: Omit<RuleContext, 'lowIntakeReasons'>,
  localHour: number | undefined,
): LowIntakeReason[] {
  const reasons: LowIntakeReason[] = [];
  const floor = ctx.targets.energyFloorKcal;
  const late = ctx.mealType === 'dinner' || (localHour !== undefined && localHour >= LATE_HOUR);
  if (ctx.dayTotalsAfter && late && ctx.dayTotalsAfter.kcal < floor) reasons.push('day_below_floor_late');
  const dayMetFloor = ctx.dayTotalsAfter !== undefined && ctx.dayTotalsAfter.kcal >= floor;
  if (
    MAIN_MEALS.includes(ctx.mealType) &&
    ctx.itemsUnrecognized === 0 &&
    !dayMetFloor &&
    ctx.meal.kcal < MEAL_FAR_BELOW_FRACTION * ctx.mealShare * ctx.targets.kcal
  ) {
    reasons.push('meal_far_below_share');
  }
  return reasons;
}

function compareMessages(a: FeedbackMessage, b: FeedbackMessage): number {
  const s = SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
  if (s !== 0) return s;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0; // code order, independent of locale
}

/** Runs `rules` (default: all) for one meal. Throws FeedbackInputError listing every problem with the input. */
export function evaluateMealFeedback(
  input: MealFeedbackInput,
  rules: readonly FeedbackRule[] = RULES,
): MealFeedbackResult {
  const issues = validateMealFeedbackInput(input);
  if (issues.length > 0) throw new FeedbackInputError(issues);

  const profile = getGuidelineProfile(input.guidelineProfileId ?? DEFAULT_PROFILE_ID);
  const mealType = input.mealType ?? 'unspecified';
  const targets = dailyTargets(input.userProfile, profile.id);
  const base: Omit<RuleContext, 'lowIntakeReasons'> = {
    meal: { ...input.totals },
    mealType,
    profile,
    targets,
    mealShare: mealShare(mealType),
    ...(input.dayTotalsBefore
      ? {
          dayTotalsBefore: { ...input.dayTotalsBefore },
          dayTotalsAfter: addNutrients(input.dayTotalsBefore, input.totals),
        }
      : {}),
    itemsUnrecognized: input.itemsUnrecognized ?? 0,
    ...(input.confidence !== undefined ? { confidence: input.confidence } : {}),
  };
  const reviewReasons = lowIntakeReasons(base, input.localHour);
  const ctx: RuleContext = { ...base, lowIntakeReasons: reviewReasons };
  const lowIntake = reviewReasons.length > 0;

  const messages: FeedbackMessage[] = [];
  for (const rule of rules) {
    if (!rule.appliesTo.includes(profile.id)) continue;
    // Low intake is never praised, and nothing then nudges toward less.
    if (lowIntake && rule.tone !== 'neutral') continue;
    const out = rule.evaluate(ctx);
    if (out) messages.push({ code: rule.code, ...out });
  }
  messages.sort(compareMessages);

  return {
    profileId: profile.id,
    profileVersion: profile.version,
    rulesVersion: RULES_VERSION,
    mealType,
    targets,
    messages,
    needsReview: lowIntake,
    reviewReasons,
    disclaimer: disclaimerFor(profile.name),
  };
}
