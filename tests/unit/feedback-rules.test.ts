import { describe, it, expect } from 'vitest';
import type { Nutrients } from '../../src/domain/nutrition/types';
import {
  evaluateMealFeedback,
  FeedbackInputError,
  type FeedbackMessage,
  type MealFeedbackInput,
  RULES,
  type UserProfile,
} from '../../src/domain/feedback';

const n = (over: Partial<Nutrients> = {}): Nutrients => ({
  kcal: 0,
  protein_g: 0,
  fat_g: 0,
  satfat_g: 0,
  carb_g: 0,
  fiber_g: 0,
  sugar_g: 0,
  sodium_mg: 0,
  ...over,
});

/**
 * A 600 kcal lunch that sits inside every threshold (reference adult: 2,000 kcal, lunch share 30 %), so each
 * test moves one number across one boundary. Sodium 300 mg is between the FDA 5 % (115) and 20 % (460) marks.
 */
const quiet = n({
  kcal: 600,
  protein_g: 10,
  fat_g: 15,
  satfat_g: 3,
  carb_g: 80,
  fiber_g: 3,
  sugar_g: 5,
  sodium_mg: 300,
});

const run = (input: Partial<MealFeedbackInput> & { meal?: Partial<Nutrients> }) => {
  const { meal, ...rest } = input;
  return evaluateMealFeedback({ mealType: 'lunch', ...rest, totals: { ...quiet, ...meal } });
};
const codes = (input: Parameters<typeof run>[0]) => run(input).messages.map((m) => m.code);
const msg = (input: Parameters<typeof run>[0], code: string): FeedbackMessage | undefined =>
  run(input).messages.find((m) => m.code === code);

/** Asserts `code` is absent at `atLimit` and present at `over`, for the given profile. */
function boundary(
  code: string,
  guidelineProfileId: MealFeedbackInput['guidelineProfileId'],
  atLimit: Partial<Nutrients>,
  over: Partial<Nutrients>,
  extra: Partial<MealFeedbackInput> = {},
) {
  expect(codes({ guidelineProfileId, meal: atLimit, ...extra }), `${code} at ${JSON.stringify(atLimit)}`).not.toContain(
    code,
  );
  expect(codes({ guidelineProfileId, meal: over, ...extra }), `${code} at ${JSON.stringify(over)}`).toContain(code);
}

describe('the quiet baseline', () => {
  it('fires nothing but what it should', () => {
    expect(codes({ guidelineProfileId: 'who' })).toEqual([]);
    expect(codes({ guidelineProfileId: 'uk-fop' })).toEqual([]);
    expect(codes({ guidelineProfileId: 'us-dga' })).toEqual([]);
  });
});

describe('UK front-of-pack per-portion "high" (red) rules', () => {
  it('fire just over fat 21 g, saturates 6 g, sugars 27 g, salt 1.8 g (720 mg sodium)', () => {
    boundary('portion.high_fat', 'uk-fop', { fat_g: 21 }, { fat_g: 21.01 });
    boundary('portion.high_satfat', 'uk-fop', { satfat_g: 6 }, { satfat_g: 6.01 });
    boundary('portion.high_sugar', 'uk-fop', { sugar_g: 27 }, { sugar_g: 27.01 });
    boundary('portion.high_salt', 'uk-fop', { sodium_mg: 720 }, { sodium_mg: 721 });
  });

  it('state the salt in grams and cite the FSA guidance, as cautions', () => {
    const m = msg({ guidelineProfileId: 'uk-fop', meal: { sodium_mg: 1000 } }, 'portion.high_salt')!;
    expect(m.severity).toBe('caution');
    expect(m.message).toMatch(/2\.5 g salt \(1,000 mg sodium\).*over 1\.8 g salt/);
    expect(m.source).toMatch(/FSA/);
  });

  it('apply only to the uk-fop profile', () => {
    const heavy = { fat_g: 40, satfat_g: 12, sugar_g: 50, sodium_mg: 1500 };
    expect(codes({ guidelineProfileId: 'who', meal: heavy }).filter((c) => c.startsWith('portion.'))).toEqual([]);
    expect(codes({ guidelineProfileId: 'us-dga', meal: heavy }).filter((c) => c.startsWith('portion.'))).toEqual([]);
  });
});

describe('FDA %DV rules (us-dga): >= 20 % high, <= 5 % low', () => {
  it('sodium: high at 460 mg (20 % of 2,300), low at 115 mg (5 %)', () => {
    boundary('dv.sodium_high', 'us-dga', { sodium_mg: 459.9 }, { sodium_mg: 460 });
    boundary('dv.sodium_low', 'us-dga', { sodium_mg: 115.1 }, { sodium_mg: 115 });
    expect(msg({ guidelineProfileId: 'us-dga', meal: { sodium_mg: 460 } }, 'dv.sodium_high')!.message).toMatch(
      /460 mg, 20 % of the Daily Value/,
    );
  });

  it('saturated fat: high at 4 g (20 % of 20 g), low at 1 g', () => {
    boundary('dv.satfat_high', 'us-dga', { satfat_g: 3.99 }, { satfat_g: 4 });
    boundary('dv.satfat_low', 'us-dga', { satfat_g: 1.01 }, { satfat_g: 1 });
  });

  it('fibre: high at 5.6 g (20 % of 28 g) is positive; low at 1.4 g is a suggestion, not for drinks or bites under 100 kcal', () => {
    boundary('dv.fiber_high', 'us-dga', { fiber_g: 5.59 }, { fiber_g: 5.6 });
    boundary('dv.fiber_low', 'us-dga', { fiber_g: 1.41 }, { fiber_g: 1.4 });
    expect(msg({ guidelineProfileId: 'us-dga', meal: { fiber_g: 5.6 } }, 'dv.fiber_high')!.severity).toBe('positive');
    expect(msg({ guidelineProfileId: 'us-dga', meal: { fiber_g: 0 } }, 'dv.fiber_low')!.severity).toBe('suggestion');
    boundary('dv.fiber_low', 'us-dga', { fiber_g: 0, kcal: 99 }, { fiber_g: 0, kcal: 100 }, { mealType: 'snack' });
  });

  it('do not apply to the WHO or UK profiles', () => {
    for (const id of ['who', 'uk-fop'] as const) {
      expect(
        codes({ guidelineProfileId: id, meal: { sodium_mg: 1000, satfat_g: 0, fiber_g: 0 } }).filter((c) =>
          c.startsWith('dv.'),
        ),
      ).toEqual([]);
    }
  });
});

describe('added sugar per meal (DGA 2025-30, total sugar as proxy)', () => {
  it('fires over 10 g, says it uses total sugar, and carries a caveat', () => {
    boundary('sugar.added_per_meal', 'us-dga', { sugar_g: 10 }, { sugar_g: 10.1 });
    const m = msg({ guidelineProfileId: 'us-dga', meal: { sugar_g: 20 } }, 'sugar.added_per_meal')!;
    expect(m.message).toMatch(/total sugar/);
    expect(m.message).toMatch(/only has total sugar/);
    expect(m.caveat).toMatch(/no added-sugar values/);
    expect(m.caveat).toMatch(/proxy/);
    expect(m.source).toMatch(/DGA 2025-2030/);
    expect(codes({ guidelineProfileId: 'who', meal: { sugar_g: 20 } })).not.toContain('sugar.added_per_meal');
  });
});

describe("meal's share of the day", () => {
  it('good fibre at the meal share of the daily target (who/uk-fop)', () => {
    boundary('fiber.meal_good', 'who', { fiber_g: 8.3 }, { fiber_g: 0.3 * 28 }); // lunch 30 % of 28 g
    boundary('fiber.meal_good', 'uk-fop', { fiber_g: 8.9 }, { fiber_g: 0.3 * 30 }); // UK target is 30 g
    expect(codes({ guidelineProfileId: 'us-dga', meal: { fiber_g: 9 } })).not.toContain('fiber.meal_good');
  });

  it('good protein at the meal share of 0.8 g/kg (or 50 g without a profile)', () => {
    boundary('protein.meal_good', 'who', { protein_g: 14.9 }, { protein_g: 15 });
    const p: UserProfile = { sex: 'male', ageYears: 30, heightCm: 180, weightKg: 80, activity: 'moderate' };
    const share = Math.round(0.3 * 0.8 * 80 * 10) / 10;
    boundary(
      'protein.meal_good',
      'who',
      { protein_g: share - 0.1, kcal: 900 },
      { protein_g: share, kcal: 900 },
      { userProfile: p },
    );
    expect(msg({ meal: { protein_g: 20 } }, 'protein.meal_good')!.severity).toBe('positive');
  });

  it('energy well above the share: over 1.5x (lunch 900 kcal, snack 300 kcal), only without the day totals', () => {
    boundary('energy.above_share', 'who', { kcal: 900 }, { kcal: 901 });
    boundary('energy.above_share', 'who', { kcal: 300 }, { kcal: 301 }, { mealType: 'snack' });
    expect(codes({ meal: { kcal: 1200 }, dayTotalsBefore: n({ kcal: 300 }) })).not.toContain('energy.above_share');
    const m = msg({ meal: { kcal: 1200 } }, 'energy.above_share')!;
    expect(m.message).toMatch(/1,200 kcal.*600 kcal of a 2,000 kcal day/);
    expect(m.message).not.toMatch(/less|reduce|cut/i);
  });
});

describe('against the day (dayTotalsBefore)', () => {
  const before = (over: Partial<Nutrients>) => n({ kcal: 800, fiber_g: 5, ...over });

  it('sodium: fires when this meal takes the day over the limit, not when already over', () => {
    boundary(
      'day.sodium_over',
      'who',
      { sodium_mg: 500 },
      { sodium_mg: 501 },
      { dayTotalsBefore: before({ sodium_mg: 1500 }) },
    );
    expect(codes({ meal: { sodium_mg: 900 }, dayTotalsBefore: before({ sodium_mg: 2100 }) })).not.toContain(
      'day.sodium_over',
    );
  });

  it('profile selection changes the sodium limit (WHO 2,000, DGA 2,300, UK 2,400 mg)', () => {
    const input = { meal: { sodium_mg: 300 }, dayTotalsBefore: before({ sodium_mg: 1900 }) }; // day: 2,200 mg
    expect(codes({ ...input, guidelineProfileId: 'who' })).toContain('day.sodium_over');
    expect(codes({ ...input, guidelineProfileId: 'us-dga' })).not.toContain('day.sodium_over');
    expect(codes({ ...input, guidelineProfileId: 'uk-fop' })).not.toContain('day.sodium_over');
    boundary(
      'day.sodium_over',
      'us-dga',
      { sodium_mg: 400 },
      { sodium_mg: 401 },
      { dayTotalsBefore: before({ sodium_mg: 1900 }) },
    );
    boundary(
      'day.sodium_over',
      'uk-fop',
      { sodium_mg: 500 },
      { sodium_mg: 501 },
      { dayTotalsBefore: before({ sodium_mg: 1900 }) },
    );
    expect(msg({ ...input, guidelineProfileId: 'who' }, 'day.sodium_over')!.message).toMatch(
      /2,200 mg, above the 2,000 mg daily limit/,
    );
  });

  it('saturated fat: over 10 % of energy (22.2 g for 2,000 kcal)', () => {
    boundary(
      'day.satfat_over',
      'who',
      { satfat_g: 10 },
      { satfat_g: 10.1 },
      { dayTotalsBefore: before({ satfat_g: 12.2 }) },
    );
  });

  it('energy: over the target, as info', () => {
    boundary('day.energy_over', 'who', { kcal: 600 }, { kcal: 601 }, { dayTotalsBefore: before({ kcal: 1400 }) });
    expect(msg({ meal: { kcal: 700 }, dayTotalsBefore: before({ kcal: 1400 }) }, 'day.energy_over')!.severity).toBe(
      'info',
    );
  });

  it('fibre: progress as info until the target, then positive', () => {
    const dayTotalsBefore = before({ fiber_g: 20 });
    expect(msg({ meal: { fiber_g: 7.9 }, dayTotalsBefore }, 'day.fiber_progress')!.message).toMatch(/27\.9 g|28 g/);
    expect(codes({ meal: { fiber_g: 7.9 }, dayTotalsBefore })).not.toContain('day.fiber_reached');
    const reached = run({ meal: { fiber_g: 8 }, dayTotalsBefore });
    expect(reached.messages.map((m) => m.code)).toContain('day.fiber_reached');
    expect(reached.messages.map((m) => m.code)).not.toContain('day.fiber_progress');
    expect(codes({ meal: { fiber_g: 7.9 } }).filter((c) => c.startsWith('day.'))).toEqual([]);
  });
});

describe('the estimate', () => {
  it('says feedback is approximate below 0.6 confidence', () => {
    expect(codes({ confidence: 0.6 })).not.toContain('estimate.low_confidence');
    const m = msg({ confidence: 0.59 }, 'estimate.low_confidence')!;
    expect(m.severity).toBe('info');
    expect(m.message).toMatch(/approximate/);
    expect(codes({})).not.toContain('estimate.low_confidence');
  });

  it('reports unrecognised items', () => {
    expect(codes({ itemsUnrecognized: 0 })).not.toContain('estimate.unrecognized_items');
    expect(msg({ itemsUnrecognized: 1 }, 'estimate.unrecognized_items')!.message).toMatch(
      /^1 item was not recognised and counts as zero/,
    );
    expect(msg({ itemsUnrecognized: 3 }, 'estimate.unrecognized_items')!.message).toMatch(
      /^3 items were not recognised/,
    );
  });
});

describe('very low intake goes to review, never praise', () => {
  const woman: UserProfile = { sex: 'female', ageYears: 35, heightCm: 165, weightKg: 60, activity: 'light' };
  const man: UserProfile = { ...woman, sex: 'male', heightCm: 178, weightKg: 75 };

  it('a main meal under a quarter of its share (breakfast < 100 kcal of 2,000)', () => {
    const r = run({ mealType: 'breakfast', meal: { kcal: 99, protein_g: 15, fiber_g: 10, satfat_g: 0, sodium_mg: 0 } });
    expect(r.needsReview).toBe(true);
    expect(r.reviewReasons).toEqual(['meal_far_below_share']);
    expect(r.messages.map((m) => m.code)).toEqual(['intake.review']); // good protein/fibre are not praised
    expect(r.messages[0]!.message).toMatch(/lighter than a typical breakfast/);
    expect(run({ mealType: 'breakfast', meal: { kcal: 100 } }).needsReview).toBe(false);
  });

  it('not for snacks, meals with unrecognised items, or a day already over the floor', () => {
    expect(run({ mealType: 'snack', meal: { kcal: 20 } }).needsReview).toBe(false);
    expect(run({ mealType: 'unspecified', meal: { kcal: 20 } }).needsReview).toBe(false);
    expect(run({ mealType: 'lunch', meal: { kcal: 20 }, itemsUnrecognized: 1 }).needsReview).toBe(false);
    expect(run({ mealType: 'lunch', meal: { kcal: 20 }, dayTotalsBefore: n({ kcal: 1200 }) }).needsReview).toBe(false);
  });

  it('a day under the floor late in the day (dinner, or 19:00 or later), withholding praise and limit advice', () => {
    const salty = { kcal: 500, protein_g: 30, fiber_g: 12, sodium_mg: 1200, satfat_g: 9 };
    const r = run({
      guidelineProfileId: 'uk-fop',
      mealType: 'dinner',
      meal: salty,
      dayTotalsBefore: n({ kcal: 600, sodium_mg: 900 }),
    });
    expect(r.needsReview).toBe(true);
    expect(r.reviewReasons).toEqual(['day_below_floor_late']);
    const got = r.messages.map((m) => m.code);
    expect(got).toContain('intake.review');
    for (const c of [
      'portion.high_salt',
      'portion.high_satfat',
      'day.sodium_over',
      'protein.meal_good',
      'fiber.meal_good',
    ])
      expect(got).not.toContain(c);
    expect(r.messages.find((m) => m.code === 'intake.review')!.message).toMatch(/less than most adults need/);
    expect(
      run({ mealType: 'lunch', localHour: 20, meal: { kcal: 400 }, dayTotalsBefore: n({ kcal: 500 }) }).needsReview,
    ).toBe(true);
    expect(
      run({ mealType: 'lunch', localHour: 18, meal: { kcal: 400 }, dayTotalsBefore: n({ kcal: 500 }) }).needsReview,
    ).toBe(false);
    expect(run({ mealType: 'dinner', meal: { kcal: 600 }, dayTotalsBefore: n({ kcal: 600 }) }).needsReview).toBe(false); // exactly 1,200
  });

  it('uses the 1,500 kcal floor for men', () => {
    const input = { mealType: 'dinner' as const, meal: { kcal: 700 }, dayTotalsBefore: n({ kcal: 700 }) }; // day: 1,400
    expect(run({ ...input, userProfile: woman }).needsReview).toBe(false);
    expect(run({ ...input, userProfile: man }).needsReview).toBe(true);
  });
});

describe('ordering and determinism', () => {
  const busy: Parameters<typeof run>[0] = {
    guidelineProfileId: 'us-dga',
    confidence: 0.4,
    itemsUnrecognized: 1,
    meal: { kcal: 1100, protein_g: 40, satfat_g: 9, sodium_mg: 1400, sugar_g: 30, fiber_g: 0.5 },
  };

  it('sorts by severity (caution, suggestion, positive, info), then code', () => {
    const r = run(busy);
    expect(r.messages.map((m) => `${m.severity}:${m.code}`)).toEqual([
      'caution:dv.satfat_high',
      'caution:dv.sodium_high',
      'suggestion:dv.fiber_low',
      'suggestion:sugar.added_per_meal',
      'positive:protein.meal_good',
      'info:energy.above_share',
      'info:estimate.low_confidence',
      'info:estimate.unrecognized_items',
    ]);
  });

  it('does not depend on rule order', () => {
    const { meal, ...rest } = busy;
    const input: MealFeedbackInput = { mealType: 'lunch', ...rest, totals: { ...quiet, ...meal } };
    expect(evaluateMealFeedback(input, [...RULES].reverse())).toEqual(evaluateMealFeedback(input));
  });

  it('returns the profile, its version and the targets', () => {
    const r = run({ guidelineProfileId: 'uk-fop' });
    expect(r).toMatchObject({
      profileId: 'uk-fop',
      profileVersion: 'uk-fop-1.0.0',
      mealType: 'lunch',
      needsReview: false,
      reviewReasons: [],
    });
    expect(r.targets.sodium_max_mg).toBe(2400);
    expect(evaluateMealFeedback({ totals: quiet }).profileId).toBe('who');
    expect(evaluateMealFeedback({ totals: quiet }).mealType).toBe('unspecified');
  });
});

describe('input validation', () => {
  it('throws one typed error listing every problem', () => {
    const bad = {
      totals: { ...quiet, kcal: -1, sodium_mg: Number.NaN },
      mealType: 'brunch',
      guidelineProfileId: 'fda',
      confidence: 1.5,
      itemsUnrecognized: 0.5,
      localHour: 24,
      userProfile: { sex: 'male', ageYears: 15, heightCm: 170, weightKg: 60, activity: 'light' },
    } as unknown as MealFeedbackInput;
    try {
      evaluateMealFeedback(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FeedbackInputError);
      const err = e as FeedbackInputError;
      expect(err.code).toBe('invalid_feedback_input');
      expect(err.issues.map((i) => i.field)).toEqual([
        'totals.kcal',
        'totals.sodium_mg',
        'mealType',
        'guidelineProfileId',
        'userProfile.ageYears',
        'confidence',
        'itemsUnrecognized',
        'localHour',
      ]);
      expect(err.message).toMatch(/not meant for children/);
    }
    expect(() => evaluateMealFeedback({ totals: quiet, dayTotalsBefore: { kcal: 1 } as Nutrients })).toThrow(
      /dayTotalsBefore\.protein_g/,
    );
  });
});
