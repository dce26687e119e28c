import { describe, it, expect } from 'vitest';
import {
  DEFAULT_PROFILE_ID,
  dailyTargets,
  FeedbackInputError,
  GUIDELINE_PROFILES,
  getGuidelineProfile,
  MEAL_SHARES,
  profileIds,
  type Threshold,
} from '../../src/domain/feedback';

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

describe('meal shares', () => {
  it('follows PHE 400/600/600 of 2,000 kcal', () => {
    expect([MEAL_SHARES.breakfast, MEAL_SHARES.lunch, MEAL_SHARES.dinner].map((s) => s * 2000)).toEqual([
      400, 600, 600,
    ]);
    expect(MEAL_SHARES.snack).toBe(0.1);
    expect(MEAL_SHARES.unspecified).toBe(0.3);
  });
});
