import { describe, it, expect } from 'vitest';
import type { Nutrients } from '../../src/domain/nutrition/types';
import {
  ACTIVITY_LEVELS,
  BANNED_PHRASES,
  DEFAULT_PROFILE_ID,
  dailyTargets,
  evaluateMealFeedback,
  FeedbackInputError,
  findBannedWording,
  GUIDELINE_PROFILES,
  getGuidelineProfile,
  MEAL_SHARES,
  MEAL_TYPES,
  type MealFeedbackInput,
  profileIds,
  RULES,
  SEVERITY_ORDER,
  SEXES,
  type Threshold,
  type UserProfile,
  validateUserProfile,
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

// The published formula and multipliers, written out here rather than imported, so the test checks the code.
const mifflin = (w: number, h: number, a: number, s: number) => 10 * w + 6.25 * h - 5 * a + s;
const FACTOR = { sedentary: 1.2, light: 1.375, moderate: 1.55, active: 1.725, very_active: 1.9 } as const;

const man: UserProfile = { sex: 'male', ageYears: 30, heightCm: 180, weightKg: 80, activity: 'moderate' };
const woman: UserProfile = { sex: 'female', ageYears: 40, heightCm: 165, weightKg: 60, activity: 'sedentary' };

function thresholds(value: unknown, path = ''): Array<[string, Threshold]> {
  if (!value || typeof value !== 'object') return [];
  const v = value as Record<string, unknown>;
  if (typeof v.value === 'number' && typeof v.unit === 'string') return [[path, v as unknown as Threshold]];
  return Object.entries(v).flatMap(([k, x]) => thresholds(x, `${path}.${k}`));
}

describe('guideline profiles', () => {
  it('lists who, us-dga and uk-fop, with WHO as the default and a version each', () => {
    expect([...profileIds]).toEqual(['who', 'us-dga', 'uk-fop']);
    expect(profileIds).toContain(DEFAULT_PROFILE_ID);
    for (const id of profileIds) {
      expect(GUIDELINE_PROFILES[id].id).toBe(id);
      expect(GUIDELINE_PROFILES[id].version).toMatch(/\d+\.\d+\.\d+/);
    }
  });

  it('gives every threshold a source', () => {
    for (const id of profileIds) {
      const all = thresholds(GUIDELINE_PROFILES[id]);
      expect(all.length).toBeGreaterThanOrEqual(8);
      for (const [path, t] of all) expect(t.source.length, `${id}${path}`).toBeGreaterThan(10);
    }
  });

  it('holds the numbers from the notes, and is frozen', () => {
    expect(GUIDELINE_PROFILES.who.daily.sodiumMaxMg.value).toBe(2000);
    expect(GUIDELINE_PROFILES['us-dga'].daily.sodiumMaxMg.value).toBe(2300);
    const fop = GUIDELINE_PROFILES['uk-fop'].portionHigh!;
    expect([fop.fat_g.value, fop.satfat_g.value, fop.sugar_g.value, fop.sodium_mg.value]).toEqual([
      21,
      6,
      27,
      (1.8 * 1000) / 2.5,
    ]);
    expect(GUIDELINE_PROFILES['us-dga'].addedSugarPerMealMaxG!.value).toBe(10);
    expect(Object.isFrozen(GUIDELINE_PROFILES.who.daily.sodiumMaxMg)).toBe(true);
  });

  it('rejects an unknown profile id with a typed error', () => {
    expect(() => getGuidelineProfile('nope')).toThrow(FeedbackInputError);
    expect(() => dailyTargets(undefined, 'nope' as never)).toThrow(/unknown guideline profile "nope"/);
  });
});

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

describe('meal shares', () => {
  it('follows PHE 400/600/600 of 2,000 kcal', () => {
    expect([MEAL_SHARES.breakfast, MEAL_SHARES.lunch, MEAL_SHARES.dinner].map((s) => s * 2000)).toEqual([
      400, 600, 600,
    ]);
    expect(MEAL_SHARES.snack).toBe(0.1);
    expect(MEAL_SHARES.unspecified).toBe(0.3);
  });
});

// ---------------------------------------------------------------- properties over a sweep of inputs

const MEALS: Record<string, Nutrients> = {
  empty: n(),
  tiny: n({ kcal: 40, protein_g: 1, fiber_g: 0.5, sugar_g: 8, sodium_mg: 5 }),
  typical: n({ kcal: 600, protein_g: 25, fat_g: 18, satfat_g: 4, carb_g: 75, fiber_g: 7, sugar_g: 9, sodium_mg: 550 }),
  huge: n({
    kcal: 1800,
    protein_g: 70,
    fat_g: 90,
    satfat_g: 35,
    carb_g: 170,
    fiber_g: 6,
    sugar_g: 60,
    sodium_mg: 3200,
  }),
  salty: n({ kcal: 450, protein_g: 12, fat_g: 10, satfat_g: 2, carb_g: 60, fiber_g: 2, sugar_g: 4, sodium_mg: 1800 }),
  sweet: n({ kcal: 380, protein_g: 3, fat_g: 12, satfat_g: 7, carb_g: 65, fiber_g: 1, sugar_g: 48, sodium_mg: 90 }),
  fibrous: n({ kcal: 520, protein_g: 22, fat_g: 9, satfat_g: 1, carb_g: 80, fiber_g: 16, sugar_g: 8, sodium_mg: 100 }),
};
const DAYS: Record<string, Nutrients | undefined> = {
  none: undefined,
  low: n({ kcal: 300, protein_g: 8, fiber_g: 3, sodium_mg: 400, satfat_g: 2 }),
  full: n({ kcal: 1900, protein_g: 60, fiber_g: 20, sodium_mg: 2100, satfat_g: 21, sugar_g: 40 }),
};

function* sweep(): Generator<MealFeedbackInput> {
  for (const guidelineProfileId of profileIds)
    for (const mealType of MEAL_TYPES)
      for (const totals of Object.values(MEALS))
        for (const dayTotalsBefore of Object.values(DAYS))
          for (const userProfile of [undefined, man, woman])
            for (const [confidence, itemsUnrecognized] of [
              [undefined, 0],
              [0.3, 2],
            ] as const)
              yield {
                guidelineProfileId,
                mealType,
                totals,
                ...(dayTotalsBefore ? { dayTotalsBefore } : {}),
                ...(userProfile ? { userProfile } : {}),
                ...(confidence !== undefined ? { confidence } : {}),
                itemsUnrecognized,
              };
}

describe('evaluateMealFeedback over a sweep of inputs', () => {
  const toneOf = new Map(RULES.map((r) => [r.code, r.tone]));

  it('has a sane checker', () => {
    expect(findBannedWording('No junk here, just a Cheat meal and guilt-free bliss')).toEqual([
      'junk',
      'cheat meal',
      'guilt-free',
    ]);
    expect(findBannedWording('Badge learners have a thing for thinking')).toEqual([]);
    expect(BANNED_PHRASES).toContain('lose weight');
  });

  it('never uses banned wording, always cites a source, is deterministic and sorted by severity then code', () => {
    let count = 0;
    const codesSeen = new Set<string>();
    for (const input of sweep()) {
      const a = evaluateMealFeedback(input);
      expect(evaluateMealFeedback(structuredClone(input))).toEqual(a);
      expect(findBannedWording(a.disclaimer)).toEqual([]);
      for (const m of a.messages) {
        count++;
        codesSeen.add(m.code);
        expect(findBannedWording(`${m.message} ${m.caveat ?? ''}`), m.message).toEqual([]);
        expect(m.source.length).toBeGreaterThan(10);
        expect(toneOf.has(m.code)).toBe(true);
      }
      const keys = a.messages.map((m) => [SEVERITY_ORDER.indexOf(m.severity), m.code] as const);
      const sorted = [...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
      expect(keys).toEqual(sorted);
      expect(new Set(a.messages.map((m) => m.code)).size).toBe(a.messages.length);
    }
    expect(count).toBeGreaterThan(1000);
    // The sweep reaches every rule, so the wording check above covers all of them.
    expect([...codesSeen].sort()).toEqual(RULES.map((r) => r.code).sort());
  });

  it('includes the adults-only disclaimer once, naming children, pregnancy and clinical diets', () => {
    const r = evaluateMealFeedback({ totals: MEALS.typical! });
    expect(r.disclaimer).toMatch(/children/);
    expect(r.disclaimer).toMatch(/pregnancy/);
    expect(r.disclaimer).toMatch(/clinical/);
    expect(r.messages.some((m) => m.message.includes('pregnan'))).toBe(false);
  });

  it('never praises or nudges toward less when intake is low, and flags it for review', () => {
    let reviewed = 0;
    for (const input of sweep()) {
      const r = evaluateMealFeedback(input);
      const t = r.targets;
      const after = input.dayTotalsBefore ? input.dayTotalsBefore.kcal + input.totals.kcal : undefined;
      if (after !== undefined && after < t.energyFloorKcal) {
        // Nothing about energy being high while the day is under the floor.
        expect(r.messages.map((m) => m.code)).not.toContain('day.energy_over');
        expect(r.messages.map((m) => m.code)).not.toContain('energy.above_share');
      }
      expect(r.needsReview).toBe(r.reviewReasons.length > 0);
      expect(r.messages.some((m) => m.code === 'intake.review')).toBe(r.needsReview);
      if (r.needsReview) {
        reviewed++;
        expect(r.messages.filter((m) => m.severity === 'positive')).toEqual([]);
        for (const m of r.messages) expect(toneOf.get(m.code), m.code).toBe('neutral');
        const note = r.messages.find((m) => m.code === 'intake.review')!;
        expect(note.message).not.toMatch(/\d/);
      }
    }
    expect(reviewed).toBeGreaterThan(50);
  });

  it('does not change its input', () => {
    const input: MealFeedbackInput = {
      totals: n(MEALS.huge),
      dayTotalsBefore: n(DAYS.full),
      mealType: 'dinner',
      userProfile: { ...man },
    };
    const copy = structuredClone(input);
    evaluateMealFeedback(input);
    expect(input).toEqual(copy);
  });
});
