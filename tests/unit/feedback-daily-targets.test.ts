import { describe, it, expect } from 'vitest';
import {
  ACTIVITY_LEVELS,
  dailyTargets,
  FeedbackInputError,
  SEXES,
  type UserProfile,
  validateUserProfile,
} from '../../src/domain/feedback';
import { man, woman } from '../support/user-profiles';

// The published formula and multipliers, written out here rather than imported, so the test checks the code.
const mifflin = (w: number, h: number, a: number, s: number) => 10 * w + 6.25 * h - 5 * a + s;
const FACTOR = { sedentary: 1.2, light: 1.375, moderate: 1.55, active: 1.725, very_active: 1.9 } as const;

describe('dailyTargets', () => {
  it('uses Mifflin-St Jeor x activity factor for a man', () => {
    const t = dailyTargets(man, 'who');
    const kcal = Math.round(mifflin(80, 180, 30, +5) * FACTOR.moderate);
    expect(t.basis).toBe('personal');
    expect(t.bmrKcal).toBe(Math.round(mifflin(80, 180, 30, 5)));
    expect(t.activityFactor).toBe(1.55);
    expect(t.kcal).toBe(kcal);
    expect(t.protein_g).toBeCloseTo(0.8 * 80, 1);
    expect(t.satfat_max_g).toBeCloseTo((kcal * 0.1) / 9, 1);
    expect(t.sugar_max_g).toBeCloseTo((kcal * 0.1) / 4, 1);
    expect(t.fiber_min_g).toBeCloseTo(Math.max(25, (14 * kcal) / 1000), 1);
    expect(t.sodium_max_mg).toBe(2000);
    expect(t.energyFloorApplied).toBe(false);
  });

  it('uses Mifflin-St Jeor x activity factor for a woman (fibre floor of 25 g applies)', () => {
    const t = dailyTargets(woman, 'us-dga');
    const kcal = Math.round(mifflin(60, 165, 40, -161) * FACTOR.sedentary);
    expect(t.kcal).toBe(kcal);
    expect(t.protein_g).toBeCloseTo(48, 1);
    expect((14 * kcal) / 1000).toBeLessThan(25);
    expect(t.fiber_min_g).toBe(25);
    expect(t.sodium_max_mg).toBe(2300);
  });

  it('uses the midpoint of the two sex constants for unspecified sex', () => {
    for (const activity of ACTIVITY_LEVELS) {
      const p: UserProfile = { sex: 'unspecified', ageYears: 50, heightCm: 170, weightKg: 70, activity };
      const bmr = (mifflin(70, 170, 50, 5) + mifflin(70, 170, 50, -161)) / 2;
      expect(dailyTargets(p).kcal).toBe(Math.round(bmr * FACTOR[activity]));
    }
  });

  it('uses the 2,000 kcal reference adult without a profile, with per-profile sodium, sugar and fibre', () => {
    const who = dailyTargets();
    expect(who).toMatchObject({
      basis: 'reference',
      kcal: 2000,
      protein_g: 50,
      sodium_max_mg: 2000,
      energyFloorKcal: 1200,
    });
    expect(who.satfat_max_g).toBeCloseTo((2000 * 0.1) / 9, 1);
    expect(who.sugar_max_g).toBeCloseTo((2000 * 0.1) / 4, 1);
    expect(who.fiber_min_g).toBeCloseTo(14 * 2, 1);
    expect(dailyTargets(undefined, 'us-dga').sodium_max_mg).toBe(2300);
    const uk = dailyTargets(undefined, 'uk-fop');
    expect(uk.sodium_max_mg).toBe((6 * 1000) / 2.5);
    expect(uk.sugar_max_g).toBeCloseTo((2000 * 0.05) / 4, 1);
    expect(uk.fiber_min_g).toBe(30);
    for (const v of Object.values(who.sources)) expect(v.length).toBeGreaterThan(10);
  });

  it('never sets energy below 1,200 kcal (women, unspecified) or 1,500 kcal (men), across the whole valid range', () => {
    let floorsApplied = 0;
    for (const sex of SEXES) {
      for (const activity of ACTIVITY_LEVELS) {
        for (const ageYears of [18, 45, 80, 120]) {
          for (const heightCm of [100, 150, 200, 250]) {
            for (const weightKg of [30, 45, 90, 300]) {
              const t = dailyTargets({ sex, ageYears, heightCm, weightKg, activity });
              const floor = sex === 'male' ? 1500 : 1200;
              expect(t.energyFloorKcal).toBe(floor);
              expect(t.kcal).toBeGreaterThanOrEqual(floor);
              const s = sex === 'male' ? 5 : sex === 'female' ? -161 : -78;
              const estimate = Math.round(mifflin(weightKg, heightCm, ageYears, s) * FACTOR[activity]);
              expect(t.energyFloorApplied).toBe(estimate < floor);
              expect(t.kcal).toBe(Math.max(estimate, floor));
              if (t.energyFloorApplied) floorsApplied++;
            }
          }
        }
      }
    }
    expect(floorsApplied).toBeGreaterThan(0);
  });

  it('rejects out-of-range input with clear messages, and says it is not for children', () => {
    expect(() => dailyTargets({ ...man, ageYears: 12 })).toThrow(FeedbackInputError);
    expect(() => dailyTargets({ ...man, ageYears: 17 })).toThrow(/18 and 120.*not meant for children/);
    const bad = validateUserProfile({ sex: 'x', ageYears: 121, heightCm: 99, weightKg: 301, activity: 'couch' });
    expect(bad.map((i) => i.field).sort()).toEqual(['activity', 'ageYears', 'heightCm', 'sex', 'weightKg']);
    expect(validateUserProfile({ ...man, heightCm: 251 })[0]!.message).toMatch(/between 100 and 250 cm \(got 251\)/);
    expect(validateUserProfile({ ...man, weightKg: 29.9 })[0]!.message).toMatch(/between 30 and 300 kg/);
    expect(validateUserProfile({ ...man, weightKg: Number.NaN })[0]!.message).toMatch(/must be a number/);
    expect(validateUserProfile(null)).toEqual([{ field: 'userProfile', message: 'must be an object' }]);
    try {
      dailyTargets({ ...man, ageYears: 10, weightKg: 20 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FeedbackInputError);
      expect((e as FeedbackInputError).issues.map((i) => i.field)).toEqual([
        'userProfile.ageYears',
        'userProfile.weightKg',
      ]);
    }
  });

  it('accepts the edges of every range', () => {
    for (const [ageYears, heightCm, weightKg] of [
      [18, 100, 30],
      [120, 250, 300],
    ] as const) {
      expect(validateUserProfile({ ...man, ageYears, heightCm, weightKg })).toEqual([]);
    }
  });
});
