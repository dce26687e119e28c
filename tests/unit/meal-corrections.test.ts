import { describe, expect, it } from 'vitest';
import { weeksTouchedBy } from '../../src/activities/meal-correction';
import { correctionView } from '../../src/api/services/meal-correction-view';
import type { MealCorrectionRow } from '../../src/db/repositories/meal-corrections';
import { canonicalUnit, estimateCorrection, MAX_CORRECTION_GRAMS } from '../../src/domain/nutrition/correction';
import { estimateMeal } from '../../src/domain/nutrition/estimate';
import { isSearchableQuery, searchFoods } from '../../src/domain/nutrition/food-search';
import { FoodIndex } from '../../src/domain/nutrition/food-table';

const index = new FoodIndex();
const food = (name: string) => index.table.foods.find((f) => f.name === name)!;

describe('estimateCorrection', () => {
  it('reads a line of text exactly as a meal description, and a food id with amount and unit', () => {
    const salmon = food('salmon');
    const result = estimateCorrection(
      [{ description: '4 eggs' }, { foodId: salmon.id, amount: 150, unit: 'grams' }],
      index,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const eggs = estimateMeal('4 eggs', index).items[0]!;
    expect(result.estimate.items[0]).toMatchObject({ name: 'egg', grams: eggs.grams, nutrients: eggs.nutrients });
    expect(result.estimate.items[1]).toMatchObject({ foodId: salmon.id, grams: 150, confidence: 1, recognized: true });
    expect(result.estimate.items[1]!.nutrients.kcal).toBe(Math.round((salmon.per100g.kcal! * 150) / 100));
    expect(result.estimate.totals.kcal).toBe(eggs.nutrients.kcal + result.estimate.items[1]!.nutrients.kcal);
    expect(result.estimate.foodTableVersion).toBe(index.table.version);
  });

  it("uses the food's own USDA weight for a household unit", () => {
    const banana = food('banana');
    const cup = banana.portions.find((p) => p.unit.startsWith('cup'))!;
    const r = estimateCorrection([{ foodId: banana.id, amount: 2, unit: 'cups' }], index);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.estimate.items[0]!.grams).toBe(Math.round((2 * cup.grams) / cup.amount));
    expect(r.estimate.items[0]!.assumption).toContain('corrected');
  });

  it('lists every problem with the path of its item, and estimates nothing', () => {
    const egg = food('egg');
    const r = estimateCorrection(
      [
        { description: 'an egg' },
        { description: 'unicorn stew' },
        { foodId: 'nope', amount: 1, unit: 'g' },
        { foodId: egg.id, amount: 1, unit: 'furlong' },
        { foodId: egg.id, amount: MAX_CORRECTION_GRAMS / 1000 + 1, unit: 'kg' },
      ],
      index,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.path, p.code])).toEqual([
      ['items.1.description', 'unrecognized_item'],
      ['items.2.foodId', 'unknown_food'],
      ['items.3.unit', 'unknown_unit'],
      ['items.4.amount', 'amount_too_large'],
    ]);
  });

  it('a line naming two foods becomes two items; half-recognised lines are refused', () => {
    const r = estimateCorrection([{ description: 'toast and butter' }], index);
    expect(r.ok && r.estimate.items.map((i) => i.name)).toEqual(['white bread', 'butter']);
    expect(estimateCorrection([{ description: 'toast and unicorn' }], index).ok).toBe(false);
  });

  it('canonical units accept what the meal parser reads', () => {
    expect(['g', 'grams', 'Tablespoons', 'fl  oz', 'slices'].map(canonicalUnit)).toEqual([
      'g',
      'g',
      'tbsp',
      'fl oz',
      'slice',
    ]);
    expect(canonicalUnit('furlong')).toBeUndefined();
  });
});

describe('searchFoods', () => {
  it('puts the exact name first, then names that start with the query, then any that contain every word', () => {
    const hits = searchFoods(index, 'salmon');
    expect(hits[0]).toMatchObject({ food: { name: 'salmon' }, rank: 0 });
    expect(hits.every((h, i) => i === 0 || h.rank >= hits[i - 1]!.rank)).toBe(true);
    expect(hits.every((h) => [h.food.name, ...h.food.aliases].some((l) => index.key(l).includes('salmon')))).toBe(true);
  });

  it('folds plurals and British spellings as the meal parser does', () => {
    expect(searchFoods(index, 'Eggs')[0]!.food.name).toBe('egg');
    expect(searchFoods(index, 'yoghurt')[0]!.food.name).toBe(searchFoods(index, 'yogurt')[0]!.food.name);
    expect(searchFoods(index, 'chicken breast')[0]!.food.name).toBe('chicken breast');
    expect(searchFoods(index, 'qwertyuiop')).toEqual([]);
  });

  it('refuses queries with nothing to search for', () => {
    expect(['', '   ', '...', '%%'].map(isSearchableQuery)).toEqual([false, false, false, false]);
    expect(isSearchableQuery('7up')).toBe(true);
  });
});

describe('weeksTouchedBy', () => {
  it("is the meal's week in the person's zone and the next one (its trends compare against it)", () => {
    expect(weeksTouchedBy(new Date('2026-11-17T12:00:00Z'), 'UTC')).toEqual(['2026-11-16', '2026-11-23']);
    // Sunday 23:30 in UTC is already Monday in Berlin: the next week.
    expect(weeksTouchedBy(new Date('2026-11-22T23:30:00Z'), 'UTC')).toEqual(['2026-11-16', '2026-11-23']);
    expect(weeksTouchedBy(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toEqual(['2026-11-23', '2026-11-30']);
  });
});

describe('correctionView', () => {
  const row = (revision: number, extra: Partial<MealCorrectionRow>): MealCorrectionRow =>
    ({
      id: `c${revision}`,
      mealId: 'm',
      userId: 'u',
      revision,
      status: 'applied',
      requestedItems: [],
      items: [],
      totals: {},
      feedback: [],
      warnings: [],
      confidence: 1,
      foodTableVersion: 'v',
      replaced: null,
      correctedBy: 'u',
      requestedAt: new Date('2026-11-20T10:00:00Z'),
      correctedAt: new Date('2026-11-20T10:00:01Z'),
      failureReason: null,
      workflowId: `w${revision}`,
      runId: null,
      ...extra,
    }) as MealCorrectionRow;

  it('shows nothing for a meal never corrected', () => {
    expect(correctionView([])).toEqual({});
  });

  it("shows revision 1's replaced analysis as the original and the latest revision with who and when", () => {
    const original = {
      items: [{ name: 'salmon' }],
      totals: { kcal: 733 },
      feedback: [],
      warnings: [],
      confidence: 0.6,
      foodTableVersion: 'v',
      analyzedAt: '2026-11-20T09:00:00.000Z',
    };
    const view = correctionView([
      row(1, { replaced: original }),
      row(2, { replaced: { ...original, totals: { kcal: 300 } }, status: 'pending', correctedAt: null }),
    ]);
    expect(view.original).toMatchObject({ totals: { kcal: 733 }, analyzedAt: original.analyzedAt });
    expect(view.correction).toMatchObject({ revision: 2, status: 'pending', correctedBy: 'u', correctedAt: null });
  });
});
