import { describe, it, expect } from 'vitest';
import type { UserProfile } from '../../src/domain/feedback';
import type { Nutrients } from '../../src/domain/nutrition/types';
import { boundary, codes, msg, run } from '../support/feedback-baseline';
import { n } from '../support/nutrients';

// Rules that read the day so far (dayTotalsBefore), and the very low intake review.

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
