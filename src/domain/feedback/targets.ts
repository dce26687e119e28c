import { DEFAULT_PROFILE_ID, getGuidelineProfile } from './profiles';
import {
  ACTIVITY_LEVELS,
  type ActivityLevel,
  type DailyTargets,
  FeedbackInputError,
  type GuidelineProfileId,
  type MealType,
  SEXES,
  type Sex,
  type UserProfile,
  type ValidationIssue,
} from './types';

/**
 * Daily targets: a personal energy estimate (Mifflin-St Jeor x activity factor) when the person gave their
 * details, otherwise the 2,000 kcal reference adult used on food labels. Nutrient targets then follow the
 * selected guideline profile. These are estimates for healthy adults, not prescriptions.
 */

export const MIFFLIN_SOURCE =
  'Mifflin MD, St Jeor ST et al. (1990) A new predictive equation for resting energy expenditure in healthy individuals. Am J Clin Nutr 51:241-247';

/**
 * Mifflin-St Jeor: BMR = 10 x weight(kg) + 6.25 x height(cm) - 5 x age(y) + s, with s = +5 for men and
 * -161 for women. 'unspecified' uses the midpoint (-78) rather than guessing either sex.
 */
export const MIFFLIN_SEX_CONSTANT: Readonly<Record<Sex, number>> = Object.freeze({
  male: 5,
  female: -161,
  unspecified: -78,
});

/**
 * The conventional activity multipliers used with Mifflin-St Jeor in dietetic practice (sedentary 1.2 to very
 * active 1.9). Any such estimate is rough (often +/-10 % or more), which is why feedback never rests on it alone.
 */
export const ACTIVITY_FACTORS: Readonly<Record<ActivityLevel, number>> = Object.freeze({
  sedentary: 1.2,
  light: 1.375,
  moderate: 1.55,
  active: 1.725,
  very_active: 1.9,
});
export const ACTIVITY_FACTOR_SOURCE =
  'Conventional activity multipliers used with Mifflin-St Jeor (sedentary 1.2, light 1.375, moderate 1.55, active 1.725, very active 1.9)';

/**
 * We never set (or nudge toward) an energy target below these: a widely used minimum for unsupervised adult
 * intake is about 1,200 kcal/day for women and 1,500 kcal/day for men. 'unspecified' uses the women's floor.
 */
export const ENERGY_FLOOR_KCAL: Readonly<Record<Sex, number>> = Object.freeze({
  female: 1200,
  male: 1500,
  unspecified: 1200,
});
export const ENERGY_FLOOR_SOURCE =
  'Common minimum for unsupervised adult intake: about 1,200 kcal/day (women) and 1,500 kcal/day (men)';

/** Adult-only limits for the personal estimate; Mifflin-St Jeor was derived from adults aged 19-78. */
export const USER_PROFILE_LIMITS = Object.freeze({
  ageYears: { min: 18, max: 120 },
  heightCm: { min: 100, max: 250 },
  weightKg: { min: 30, max: 300 },
});

/**
 * Share of the day's energy per meal type, from Public Health England's 400-600-600 advice (2018): about
 * 400 / 600 / 600 kcal for breakfast / lunch / dinner out of 2,000 kcal (20 / 30 / 30 %), leaving ~400 kcal
 * (20 %) for snacks and drinks, taken here as two snacks of 10 %. A meal of unknown type is treated as a main
 * meal (30 %) so that it is not called large against a snack-sized share.
 */
export const MEAL_SHARES: Readonly<Record<MealType, number>> = Object.freeze({
  breakfast: 0.2,
  lunch: 0.3,
  dinner: 0.3,
  snack: 0.1,
  unspecified: 0.3,
});
export const MEAL_SHARE_SOURCE =
  'Public Health England (2018) 400-600-600 advice: ~400/600/600 kcal breakfast/lunch/dinner of 2,000 kcal (20/30/30 %)';

export function mealShare(mealType: MealType): number {
  return MEAL_SHARES[mealType];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Every problem with a user profile, as plain messages (empty when valid). Accepts unknown input on purpose. */
export function validateUserProfile(input: unknown): ValidationIssue[] {
  if (input === null || typeof input !== 'object') return [{ field: 'userProfile', message: 'must be an object' }];
  const p = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (!SEXES.includes(p.sex as Sex)) issues.push({ field: 'sex', message: `must be one of ${SEXES.join(', ')}` });
  if (!ACTIVITY_LEVELS.includes(p.activity as ActivityLevel)) {
    issues.push({ field: 'activity', message: `must be one of ${ACTIVITY_LEVELS.join(', ')}` });
  }
  const range = (field: keyof typeof USER_PROFILE_LIMITS, unit: string, why = '') => {
    const v = p[field];
    const { min, max } = USER_PROFILE_LIMITS[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issues.push({ field, message: `must be a number of ${unit}` });
    } else if (v < min || v > max) {
      issues.push({ field, message: `must be between ${min} and ${max} ${unit} (got ${v})${why}` });
    }
  };
  range('ageYears', 'years', ': these targets are for adults only and are not meant for children or teenagers');
  range('heightCm', 'cm');
  range('weightKg', 'kg');
  return issues;
}

/** Throws FeedbackInputError listing every problem when the profile is not usable. */
export function assertValidUserProfile(input: unknown): asserts input is UserProfile {
  const issues = validateUserProfile(input);
  if (issues.length > 0)
    throw new FeedbackInputError(
      issues.map((i) => ({ ...i, field: i.field === 'userProfile' ? i.field : `userProfile.${i.field}` })),
    );
}

/** Basal metabolic rate by Mifflin-St Jeor, kcal/day (unrounded). */
export function mifflinStJeorBmr(p: Pick<UserProfile, 'sex' | 'ageYears' | 'heightCm' | 'weightKg'>): number {
  return 10 * p.weightKg + 6.25 * p.heightCm - 5 * p.ageYears + MIFFLIN_SEX_CONSTANT[p.sex];
}

/**
 * Daily targets for one person (or the reference adult) under one guideline profile. Energy is rounded to
 * whole kcal and never below the floor; gram targets are rounded to 0.1 g.
 */
export function dailyTargets(
  profile?: UserProfile,
  guidelineProfileId: GuidelineProfileId = DEFAULT_PROFILE_ID,
): DailyTargets {
  const g = getGuidelineProfile(guidelineProfileId).daily;
  if (profile !== undefined) assertValidUserProfile(profile);
  const sex: Sex = profile?.sex ?? 'unspecified';
  const energyFloorKcal = ENERGY_FLOOR_KCAL[sex];

  let kcal: number;
  let energyFloorApplied = false;
  let bmrKcal: number | undefined;
  let activityFactor: number | undefined;
  let kcalSource: string;
  if (profile) {
    bmrKcal = Math.round(mifflinStJeorBmr(profile));
    activityFactor = ACTIVITY_FACTORS[profile.activity];
    const estimate = Math.round(mifflinStJeorBmr(profile) * activityFactor);
    energyFloorApplied = estimate < energyFloorKcal;
    kcal = Math.max(estimate, energyFloorKcal);
    kcalSource = `${MIFFLIN_SOURCE}; ${ACTIVITY_FACTOR_SOURCE}`;
  } else {
    kcal = g.referenceKcal.value;
    kcalSource = g.referenceKcal.source;
  }

  const protein_g = profile ? round1(g.proteinGPerKg.value * profile.weightKg) : g.referenceProteinG.value;
  // Fat has 9 kcal/g and sugar 4 kcal/g (Atwater general factors).
  const satfat_max_g = round1((kcal * g.satfatMaxPctEnergy.value) / 100 / 9);
  const sugar_max_g = round1((kcal * g.sugarMaxPctEnergy.value) / 100 / 4);
  const fiber_min_g = round1(Math.max(g.fiberMinG.value, (g.fiberGPer1000Kcal.value * kcal) / 1000));

  return {
    basis: profile ? 'personal' : 'reference',
    kcal,
    energyFloorKcal,
    energyFloorApplied,
    ...(bmrKcal !== undefined ? { bmrKcal } : {}),
    ...(activityFactor !== undefined ? { activityFactor } : {}),
    protein_g,
    satfat_max_g,
    sugar_max_g,
    fiber_min_g,
    sodium_max_mg: g.sodiumMaxMg.value,
    sources: {
      kcal: kcalSource,
      protein_g: profile ? g.proteinGPerKg.source : g.referenceProteinG.source,
      satfat_max_g: g.satfatMaxPctEnergy.source,
      sugar_max_g: g.sugarMaxPctEnergy.source,
      fiber_min_g: `${g.fiberGPer1000Kcal.source}; minimum: ${g.fiberMinG.source}`,
      sodium_max_mg: g.sodiumMaxMg.source,
      energyFloorKcal: ENERGY_FLOOR_SOURCE,
    },
  };
}
