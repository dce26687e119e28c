import { describe, it, expect } from 'vitest';
import { estimateMeal } from '../../src/domain/nutrition/estimate';
import { FOOD_TABLE } from '../../src/domain/nutrition/food-table';
import { parseItem, parseMealText, splitMealText } from '../../src/domain/nutrition/parse';
import { NUTRIENT_KEYS, type Food, type Nutrients } from '../../src/domain/nutrition/types';

// Expected values are derived from FOOD_TABLE here, never typed in: the table can be regenerated.
const food = (name: string): Food => {
  const f = FOOD_TABLE.foods.find((x) => x.name === name);
  if (!f) throw new Error(`no food named ${name} in the table`);
  return f;
};
/** Grams of one unit of a USDA portion whose label starts with `label` (e.g. "medium", "cup"). */
const perPortion = (f: Food, label: string) => {
  const p = f.portions.find(
    (x) => x.unit === label || x.unit.startsWith(`${label} `) || x.unit.startsWith(`${label},`),
  );
  if (!p) throw new Error(`${f.name} has no ${label} portion`);
  return p.grams / p.amount;
};
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const expectedNutrients = (f: Food, grams: number): Nutrients =>
  Object.fromEntries(
    NUTRIENT_KEYS.map((k) => [
      k,
      round(((f.per100g[k] ?? 0) * grams) / 100, k === 'kcal' || k === 'sodium_mg' ? 0 : 1),
    ]),
  ) as unknown as Nutrients;
const CUP_ML = 236.588;

describe('splitMealText', () => {
  it('splits on commas, and, with, plus, &, semicolons and new lines', () => {
    expect(splitMealText('2 eggs, toast and coffee with milk plus jam & butter\nbanana; tea + honey')).toEqual([
      '2 eggs',
      'toast',
      'coffee',
      'milk',
      'jam',
      'butter',
      'banana',
      'tea',
      'honey',
    ]);
  });

  it('keeps protected dish names whole, drops "a side of" and empty pieces', () => {
    expect(splitMealText('Mac and cheese with peas, , a side of broccoli', ['mac and cheese'])).toEqual([
      'mac and cheese',
      'peas',
      'broccoli',
    ]);
    expect(splitMealText('mac and cheese')).toEqual(['mac', 'cheese']);
    expect(splitMealText('  ,\n ')).toEqual([]);
  });

  it('does not split inside words such as "sandwich" or "candy"', () => {
    expect(splitMealText('sandwich and candy')).toEqual(['sandwich', 'candy']);
  });
});

describe('parseItem quantities', () => {
  it.each([
    ['2 eggs', 2, 'eggs'],
    ['1.5 cups rice', 1.5, 'rice'],
    ['1/2 cup milk', 0.5, 'milk'],
    ['1 1/2 cups milk', 1.5, 'milk'],
    ['½ cup oats', 0.5, 'oats'],
    ['1½ cups oats', 1.5, 'oats'],
    ['a banana', 1, 'banana'],
    ['an apple', 1, 'apple'],
    ['two eggs', 2, 'eggs'],
    ['half an avocado', 0.5, 'avocado'],
    ['half a cup of milk', 0.5, 'milk'],
    ['a dozen eggs', 12, 'eggs'],
    ['a couple of eggs', 2, 'eggs'],
    ['couple eggs', 2, 'eggs'],
    ['200g chicken breast', 200, 'chicken breast'],
    ['toast', 1, 'toast'],
  ])('%j → quantity %d, name %j', (text, quantity, name) => {
    const item = parseItem(text);
    expect(item.quantity).toBe(quantity);
    expect(item.name).toBe(name);
  });
});

describe('parseItem units and sizes', () => {
  it.each([
    ['200 g rice', 'g'],
    ['200g rice', 'g'],
    ['1 kg potatoes', 'kg'],
    ['3 oz salmon', 'oz'],
    ['3 ounces salmon', 'oz'],
    ['1 lb ground beef', 'lb'],
    ['2 lbs ground beef', 'lb'],
    ['250 ml orange juice', 'ml'],
    ['1 cup milk', 'cup'],
    ['2cups milk', 'cup'],
    ['2 tbsp peanut butter', 'tbsp'],
    ['1 tablespoon honey', 'tbsp'],
    ['1 tsp sugar', 'tsp'],
    ['8 fl oz orange juice', 'fl oz'],
    ['8 fluid ounces orange juice', 'fl oz'],
    ['2 slices of toast', 'slice'],
    ['1 piece of pizza', 'piece'],
    ['a glass of milk', 'glass'],
    ['a bowl of oatmeal', 'bowl'],
    ['a handful of almonds', 'handful'],
    ['a can of tuna', 'can'],
  ])('%j → unit %j', (text, unit) => {
    const item = parseItem(text);
    expect(item.unit).toBe(unit);
    expect(item.name).not.toMatch(/^(of|g|oz|cups?|fl)\b/);
  });

  it('reads size words before and after "of"', () => {
    expect(parseItem('a medium banana')).toMatchObject({
      quantity: 1,
      size: 'medium',
      name: 'banana',
      unit: undefined,
    });
    expect(parseItem('2 Large Eggs')).toMatchObject({ quantity: 2, size: 'large', name: 'eggs' });
    expect(parseItem('a couple of small apples')).toMatchObject({ quantity: 2, size: 'small', name: 'apples' });
  });

  it('keeps the original text, strips trailing punctuation, and does not read a lone unit word as a unit', () => {
    expect(parseItem('An egg.')).toEqual({
      text: 'An egg.',
      quantity: 1,
      unit: undefined,
      size: undefined,
      name: 'egg',
    });
    expect(parseItem('bowl')).toMatchObject({ unit: undefined, name: 'bowl' });
    expect(parseMealText('2 eggs and a banana').map((i) => i.name)).toEqual(['eggs', 'banana']);
  });
});

describe('estimateMeal', () => {
  it.each<[string, string, (f: Food) => number]>([
    ['200 g chicken breast', 'chicken breast', () => 200],
    ['200g chicken breast', 'chicken breast', () => 200],
    ['a medium banana', 'banana', (f) => perPortion(f, 'medium')],
    ['a small banana', 'banana', (f) => perPortion(f, 'small')],
    ['a large apple', 'apple', (f) => perPortion(f, 'large')],
    ['2 eggs', 'egg', (f) => 2 * perPortion(f, 'medium')],
    ['1 cup milk', 'milk', (f) => perPortion(f, 'cup')],
    ['1/2 cup milk', 'milk', (f) => 0.5 * perPortion(f, 'cup')],
    ['3 oz salmon', 'salmon', () => 28.3495 * 3],
    ['1 lb ground beef', 'ground beef', () => 453.592],
    ['1 kg potatoes', 'baked potato', () => 1000],
    ['2 slices of toast', 'white bread', (f) => 2 * perPortion(f, 'slice')],
    ['2 tbsp peanut butter', 'peanut butter', (f) => 2 * perPortion(f, 'tbsp')],
    ['8 fl oz orange juice', 'orange juice', (f) => 8 * perPortion(f, 'fl oz')],
    ['1 tsp sugar', 'sugar', (f) => perPortion(f, 'tsp')],
    ['a glass of milk', 'milk', (f) => (perPortion(f, 'cup') * 240) / CUP_ML],
    ['a handful of almonds', 'almonds', () => 30],
  ])('%j → %s, grams and nutrients from the food table', (text, name, gramsOf) => {
    const f = food(name);
    const estimate = estimateMeal(text);
    expect(estimate.items).toHaveLength(1);
    const item = estimate.items[0]!;
    const grams = Math.round(gramsOf(f));
    expect(item).toMatchObject({ text, foodId: f.id, name: f.name, recognized: true, grams });
    expect(item.nutrients).toEqual(expectedNutrients(f, grams));
    expect(estimate.totals).toEqual(item.nutrients);
    expect(item.assumption).toContain(`= ${grams} g`);
    expect(item.confidence).toBeGreaterThan(0);
    expect(item.confidence).toBeLessThanOrEqual(1);
    expect(estimate.warnings).toEqual([]);
  });

  it('sets a lower confidence for rough amounts and partial name matches', () => {
    const exact = estimateMeal('200 g chicken breast').confidence;
    expect(estimateMeal('a handful of almonds').confidence).toBeLessThan(exact);
    expect(estimateMeal('a glass of milk').confidence).toBeLessThan(exact);
    const partial = estimateMeal('200 g grilled skinless chicken breast');
    expect(partial.items[0]!.foodId).toBe(food('chicken breast').id);
    expect(partial.confidence).toBeLessThan(exact);
  });

  it('totals are the sum of the items and confidence is their kcal-weighted mean', () => {
    const estimate = estimateMeal('a medium banana, 1 cup milk and 3 oz salmon\n2 eggs');
    expect(estimate.items.map((i) => i.name)).toEqual(['banana', 'milk', 'salmon', 'egg']);
    for (const k of NUTRIENT_KEYS) {
      const sum = estimate.items.reduce((s, i) => s + i.nutrients[k], 0);
      expect(estimate.totals[k], k).toBeCloseTo(sum, 6);
    }
    const kcal = estimate.items.reduce((s, i) => s + i.nutrients.kcal, 0);
    const mean = estimate.items.reduce((s, i) => s + i.confidence * i.nutrients.kcal, 0) / kcal;
    expect(estimate.confidence).toBeCloseTo(mean, 2);
    expect(estimate.confidence).toBeGreaterThanOrEqual(0);
    expect(estimate.confidence).toBeLessThanOrEqual(1);
    expect(estimate.foodTableVersion).toBe(FOOD_TABLE.version);
  });

  it('reports an unknown item, counts it as zero and warns', () => {
    const alone = estimateMeal('a bowl of unicorn stew');
    expect(alone.items[0]).toMatchObject({
      text: 'a bowl of unicorn stew',
      recognized: false,
      foodId: null,
      grams: 0,
      confidence: 0,
    });
    expect(alone.warnings).toHaveLength(1);
    expect(alone.warnings[0]).toContain('a bowl of unicorn stew');
    for (const k of NUTRIENT_KEYS) expect(alone.totals[k]).toBe(0);

    const mixed = estimateMeal('a bowl of unicorn stew and 2 eggs');
    expect(mixed.totals).toEqual(estimateMeal('2 eggs').totals);
    expect(mixed.items.map((i) => i.recognized)).toEqual([false, true]);
    expect(mixed.confidence).toBeGreaterThan(0);
    expect(mixed.confidence).toBeLessThan(estimateMeal('2 eggs').confidence);
  });

  it('warns when USDA has no value for a nutrient and counts it as zero', () => {
    const tofu = food('tofu');
    const missing = NUTRIENT_KEYS.filter((k) => tofu.per100g[k] === null);
    expect(missing.length).toBeGreaterThan(0);
    const estimate = estimateMeal('100 g tofu');
    for (const k of missing) {
      expect(estimate.items[0]!.nutrients[k]).toBe(0);
      expect(estimate.warnings.join(' ')).toContain(k);
    }
  });

  it('returns an empty estimate for empty text', () => {
    const estimate = estimateMeal('  ');
    expect(estimate.items).toEqual([]);
    expect(estimate.confidence).toBe(0);
    expect(Object.values(estimate.totals).every((v) => v === 0)).toBe(true);
  });
});
