import { describe, expect, it } from 'vitest';
import { estimateFromLabels, estimateLabel, estimateMeal } from '../../src/domain/nutrition/estimate';
import { FoodIndex } from '../../src/domain/nutrition/food-table';
import type { EstimatedItem } from '../../src/domain/nutrition/types';

describe('meal text behaviour', () => {
  const index = new FoodIndex();
  it('keeps dish names whole and splits the rest', () => {
    expect(estimateMeal('fish and chips, salt and pepper', index).items.map((i) => i.name)).toEqual([
      'fish and chips',
      'salt and pepper',
    ]);
    expect(
      estimateMeal('peanut butter and jelly sandwich and a glass of milk', index).items.map((i) => i.name),
    ).toEqual(['peanut butter and jelly sandwich', 'milk']);
    expect(estimateMeal('mac and cheese with peas', index).items.map((i) => i.name)).toEqual([
      'mac and cheese',
      'green peas',
    ]);
  });

  it('maps common single words to the default form', () => {
    const id = (t: string) => estimateMeal(t, index).items[0]!.foodId;
    expect(id('rice')).toBe('20045'); // cooked white rice
    expect(id('chicken')).toBe('05013'); // roasted chicken meat
    expect(id('milk')).toBe('01079'); // 2 % milk
    expect(id('coffee')).toBe('14209'); // brewed
    expect(id('egg')).toBe('01123');
    expect(id('bread')).toBe('18069');
    expect(id('yoghurt')).toBe(id('yogurt'));
  });

  it('reports unknown items with zero contribution and lowers the confidence by their share', () => {
    const e = estimateMeal('2 eggs and a plate of zorblax', index);
    expect(e.unrecognized).toEqual(['a plate of zorblax']);
    expect(e.items[1]).toMatchObject({ recognized: false, grams: 0, confidence: 0 });
    expect(e.totals).toEqual(estimateMeal('2 eggs', index).totals);
    expect(e.confidence).toBeCloseTo(estimateMeal('2 eggs', index).confidence / 2, 1);
  });

  it('weights meal confidence by kcal share', () => {
    const e = estimateMeal('200 g chicken breast and a handful of almonds', index);
    const [a, b] = e.items as [EstimatedItem, EstimatedItem];
    const expected =
      (a.confidence * a.nutrients.kcal + b.confidence * b.nutrients.kcal) / (a.nutrients.kcal + b.nutrients.kcal);
    expect(e.confidence).toBeCloseTo(expected, 2);
  });
});

describe('model labels', () => {
  const index = new FoodIndex();
  it('maps labels like text, with the model grams or the default portion', () => {
    expect(estimateLabel('french_fries', 0.9, undefined, index)).toMatchObject({ foodId: '21138', recognized: true });
    const banana = estimateLabel('banana', 0.8, 150, index);
    expect(banana).toMatchObject({ foodId: '09040', grams: 150, text: 'banana' });
    expect(banana.confidence).toBeCloseTo(0.95 * 0.8, 2);
    expect(estimateLabel('caesar_salad', 0.7, undefined, index)).toMatchObject({
      foodId: 'dish:caesar salad',
      recognized: true,
    });
    expect(estimateLabel('pizza', 1, undefined, index).foodId).toBe('21224');
    expect(estimateLabel('unicorn_steak_tartare', 0.9, 100, index)).toMatchObject({ recognized: false, grams: 0 });
    const meal = estimateFromLabels(
      [
        { label: 'hamburger', confidence: 0.9 },
        { label: 'zzz', confidence: 0.4 },
      ],
      index,
    );
    expect(meal.unrecognized).toEqual(['zzz']);
    expect(meal.totals.kcal).toBe(meal.items[0]!.nutrients.kcal);
  });
});
