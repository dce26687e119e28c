import { describe, it, expect } from 'vitest';
import { evaluateMealFeedback, FeedbackInputError, type MealFeedbackInput, RULES } from '../../src/domain/feedback';
import type { Nutrients } from '../../src/domain/nutrition/types';
import { codes, msg, quiet, run } from '../support/feedback-baseline';

// The rest of the result: notes on the estimate, message order and determinism, and input validation.

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
