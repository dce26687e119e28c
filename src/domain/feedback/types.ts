import type { Nutrients } from '../nutrition/types';

/**
 * Types of the feedback rule engine. Everything here is plain data so that results are easy to store, audit
 * and compare: the same input always gives the same output (no clock, no randomness, no I/O).
 */

export type GuidelineProfileId = 'who' | 'us-dga' | 'uk-fop';

export type MealType = 'breakfast' | 'lunch' | 'dinner' | 'snack' | 'unspecified';
export const MEAL_TYPES: readonly MealType[] = ['breakfast', 'lunch', 'dinner', 'snack', 'unspecified'];

export type Sex = 'female' | 'male' | 'unspecified';
export const SEXES: readonly Sex[] = ['female', 'male', 'unspecified'];

export type ActivityLevel = 'sedentary' | 'light' | 'moderate' | 'active' | 'very_active';
export const ACTIVITY_LEVELS: readonly ActivityLevel[] = ['sedentary', 'light', 'moderate', 'active', 'very_active'];

/** Optional personal details; without them the engine uses reference values for an average adult. */
export interface UserProfile {
  sex: Sex;
  ageYears: number;
  heightCm: number;
  weightKg: number;
  activity: ActivityLevel;
}

/** One number from a guideline, always with where it comes from. */
export interface Threshold {
  value: number;
  unit: string;
  source: string;
}

/** Daily guideline numbers shared by every profile (values differ per profile). */
export interface DailyGuidelines {
  /** Energy of the reference adult used when there is no user profile. */
  referenceKcal: Threshold;
  /** Protein used when there is no body weight (the label reference value for a 2,000 kcal diet). */
  referenceProteinG: Threshold;
  proteinGPerKg: Threshold;
  sodiumMaxMg: Threshold;
  satfatMaxPctEnergy: Threshold;
  sugarMaxPctEnergy: Threshold;
  fiberGPer1000Kcal: Threshold;
  fiberMinG: Threshold;
}

/** Per-portion "high" marks (UK front-of-pack red). */
export interface PortionHighThresholds {
  fat_g: Threshold;
  satfat_g: Threshold;
  sugar_g: Threshold;
  sodium_mg: Threshold;
}

/** FDA Daily Values and the 5 % / 20 % reading rule. */
export interface DailyValueRule {
  sodium_mg: Threshold;
  satfat_g: Threshold;
  fiber_g: Threshold;
  highPct: Threshold;
  lowPct: Threshold;
}

export interface GuidelineProfile {
  id: GuidelineProfileId;
  name: string;
  /** Bumped whenever a number or a source in the profile changes, so stored feedback can be traced. */
  version: string;
  description: string;
  daily: DailyGuidelines;
  portionHigh?: PortionHighThresholds;
  dailyValues?: DailyValueRule;
  /** Per-meal added sugar limit (DGA 2025-30). Only total sugar is known, so rules must say so. */
  addedSugarPerMealMaxG?: Threshold;
}

export interface DailyTargets {
  /** 'personal' when computed from a user profile, 'reference' for the 2,000 kcal reference adult. */
  basis: 'personal' | 'reference';
  kcal: number;
  /** Lowest energy target we ever set or encourage (1,200 kcal women/unspecified, 1,500 kcal men). */
  energyFloorKcal: number;
  /** True when the personal estimate was below the floor and the floor was used instead. */
  energyFloorApplied: boolean;
  bmrKcal?: number;
  activityFactor?: number;
  protein_g: number;
  satfat_max_g: number;
  sugar_max_g: number;
  fiber_min_g: number;
  sodium_max_mg: number;
  /** Where each number comes from. */
  sources: Record<
    'kcal' | 'protein_g' | 'satfat_max_g' | 'sugar_max_g' | 'fiber_min_g' | 'sodium_max_mg' | 'energyFloorKcal',
    string
  >;
}

export type Severity = 'info' | 'positive' | 'suggestion' | 'caution';

export interface FeedbackMessage {
  code: string;
  severity: Severity;
  message: string;
  source: string;
  /** What the message cannot know, e.g. that total sugar stands in for added sugar. */
  caveat?: string;
}

/** Everything a rule may look at. */
export interface RuleContext {
  meal: Nutrients;
  mealType: MealType;
  profile: GuidelineProfile;
  targets: DailyTargets;
  /** Share of the day's energy this meal type usually takes (0..1). */
  mealShare: number;
  /** What the person already ate today before this meal, when known. */
  dayTotalsBefore?: Nutrients;
  /** dayTotalsBefore + meal, when dayTotalsBefore is known. */
  dayTotalsAfter?: Nutrients;
  itemsUnrecognized: number;
  confidence?: number;
  /** Why the intake pattern looks very low (empty when it does not): praise and "limit" advice are then withheld. */
  lowIntakeReasons: readonly LowIntakeReason[];
}

/** A meal far below its usual share, or a day still under the energy floor late in the day. */
export type LowIntakeReason = 'meal_far_below_share' | 'day_below_floor_late';

/**
 * How a rule's message could land when intake is very low. 'praise' and 'limit' messages are withheld then:
 * low intake is never praised, and nothing nudges toward eating less.
 */
export type RuleTone = 'praise' | 'limit' | 'neutral';

export interface FeedbackRule {
  code: string;
  appliesTo: readonly GuidelineProfileId[];
  tone: RuleTone;
  /** One line on what the rule checks, for docs and audits. */
  description: string;
  evaluate(ctx: RuleContext): Omit<FeedbackMessage, 'code'> | undefined;
}

export interface MealFeedbackInput {
  totals: Nutrients;
  mealType?: MealType;
  guidelineProfileId?: GuidelineProfileId;
  userProfile?: UserProfile;
  dayTotalsBefore?: Nutrients;
  itemsUnrecognized?: number;
  /** 0..1, from the meal estimate. */
  confidence?: number;
  /** Local hour of the meal (0-23), if known: 19:00 or later counts as late in the day. */
  localHour?: number;
}

export interface MealFeedbackResult {
  profileId: GuidelineProfileId;
  profileVersion: string;
  rulesVersion: string;
  mealType: MealType;
  targets: DailyTargets;
  messages: FeedbackMessage[];
  /** A very low intake pattern: route to a person for review instead of automated praise or advice. */
  needsReview: boolean;
  /** Machine-readable reasons for needsReview (empty when false). */
  reviewReasons: LowIntakeReason[];
  disclaimer: string;
}

export interface ValidationIssue {
  field: string;
  message: string;
}

/** Thrown for input the engine cannot give safe feedback on; `issues` lists every problem found. */
export class FeedbackInputError extends Error {
  override readonly name = 'FeedbackInputError';
  readonly code = 'invalid_feedback_input';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}
