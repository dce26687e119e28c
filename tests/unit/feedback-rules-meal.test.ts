import { describe, it, expect } from 'vitest';
import type { UserProfile } from '../../src/domain/feedback';
import { boundary, codes, msg } from '../support/feedback-baseline';
import { n } from '../support/nutrients';

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
