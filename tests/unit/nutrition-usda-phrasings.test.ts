import { describe, expect, it } from 'vitest';
import { estimateMeal } from '../../src/domain/nutrition/estimate';
import { FoodIndex } from '../../src/domain/nutrition/food-table';
import type { EstimatedItem } from '../../src/domain/nutrition/types';
import { byVolume, kcalOf, proteinOf, W } from '../support/usda-sr28';

// Expected values come from the USDA SR28 files themselves (ABBREV.csv per 100 g, WEIGHT.txt portions), never
// from typed-in kcal: a test case names the NDB number and the USDA portion, and the arithmetic is done here.

type Part = [ndb: string, grams: () => number];
const OZ = 28.3495;
const FL_OZ = 29.574;
const PHRASINGS: Array<[text: string, parts: Part[]]> = [
  [
    '2 scrambled eggs and toast',
    [
      ['01132', () => 2 * W('01132', 'large')],
      ['18069', () => W('18069', 'slice')],
    ],
  ],
  [
    'a bowl of oatmeal with blueberries',
    [
      ['08121', () => byVolume('08121', 355)],
      ['09050', () => 0.25 * W('09050', 'cup')],
    ],
  ],
  ['1 cup cooked rice', [['20045', () => W('20045', 'cup')]]],
  ['150g grilled salmon', [['15237', () => 150]]],
  ['a large glass of milk', [['01079', () => byVolume('01079', 360)]]],
  ['a glass of milk', [['01079', () => byVolume('01079', 240)]]],
  ['half an avocado', [['09037', () => 0.5 * W('09037', 'avocado')]]],
  ['an avocado', [['09037', () => W('09037', 'avocado')]]],
  ['a cucumber', [['11205', () => W('11205', 'cucumber')]]],
  ['12 oz can of coke', [['14148', () => 12 * W('14148', 'fl oz')]]],
  ['a can of coke', [['14148', () => W('14148', 'can or bottle (12 fl oz)')]]],
  ['a large coke', [['14148', () => W('14148', 'drink, large')]]],
  ['a handful of almonds', [['12061', () => 30]]],
  ['10 almonds', [['12061', () => 10 * W('12061', 'almond')]]],
  [
    'big mac and fries',
    [
      ['21237', () => W('21237', 'item')],
      ['21138', () => W('21138', 'serving medium')],
    ],
  ],
  [
    'a big mac with large fries',
    [
      ['21237', () => W('21237', 'item')],
      ['21138', () => W('21138', 'serving large')],
    ],
  ],
  ['spaghetti bolognese', [['22401', () => W('22401', 'serving')]]],
  ['2 slices of pepperoni pizza', [['21302', () => 2 * W('21302', 'slice')]]],
  [
    'a cup of coffee with milk',
    [
      ['14209', () => W('14209', 'cup')],
      ['01079', () => 0.25 * W('01079', 'cup')],
    ],
  ],
  ['a stick of butter', [['01001', () => W('01001', 'stick')]]],
  [
    'toast with a pat of butter',
    [
      ['18069', () => W('18069', 'slice')],
      ['01001', () => W('01001', 'pat')],
    ],
  ],
  ['a can of tuna', [['15121', () => W('15121', 'can')]]],
  ['a small bowl of rice', [['20045', () => byVolume('20045', 266.3)]]],
  ['mac and cheese', [['32005', () => W('32005', 'cup prepared')]]],
  ['3 strips of bacon', [['10862', () => 3 * W('10862', 'slice')]]],
  ['a medium banana', [['09040', () => W('09040', 'medium')]]],
  ['2 large eggs', [['01123', () => 2 * W('01123', 'large')]]],
  ['a dozen eggs', [['01123', () => 12 * W('01123', 'medium')]]],
  ['1 1/2 cups milk', [['01079', () => 1.5 * W('01079', 'cup')]]],
  ['½ cup black beans', [['16015', () => 0.5 * W('16015', 'cup')]]],
  ['200 g chicken breast', [['05064', () => 200]]],
  ['a chicken breast', [['05064', () => W('05064', 'breast')]]],
  ['1 lb ground beef', [['23568', () => 453.592]]],
  ['2 tbsp peanut butter', [['16098', () => 2 * W('16098', 'tbsp')]]],
  ['1 tbsp olive oil', [['04053', () => W('04053', 'tablespoon')]]],
  ['8 fl oz orange juice', [['09206', () => 8 * W('09206', 'fl oz')]]],
  [
    'a bagel with cream cheese',
    [
      ['18001', () => W('18001', 'bagel')],
      ['01017', () => W('01017', 'tbsp')],
    ],
  ],
  ['a slice of cheddar', [['01009', () => W('01009', 'slice')]]],
  [
    'an apple and a handful of walnuts',
    [
      ['09003', () => W('09003', 'medium')],
      ['12155', () => 30],
    ],
  ],
  [
    'two slices of whole wheat toast with peanut butter',
    [
      ['18075', () => 2 * W('18075', 'slice')],
      ['16098', () => W('16098', 'tbsp')],
    ],
  ],
  ['a can of beer', [['14003', () => W('14003', 'can')]]],
  ['8 oz steak', [['13930', () => 8 * OZ]]],
  ['a hamburger', [['21107', () => W('21107', 'sandwich')]]],
  ['1 cup of strawberries', [['09316', () => W('09316', 'cup, halves')]]],
  ['a baked potato', [['11674', () => W('11674', 'potato medium')]]],
  ['a couple of chocolate chip cookies', [['18159', () => 2 * W('18159', 'cookie, medium')]]],
  [
    'a bowl of corn flakes with milk',
    [
      ['08020', () => byVolume('08020', 355)],
      ['01079', () => 0.25 * W('01079', 'cup')],
    ],
  ],
  [
    'chicken with rice and broccoli',
    [
      ['05013', () => W('05013', 'cup')],
      ['20045', () => W('20045', 'cup')],
      ['11090', () => W('11090', 'NLEA serving')],
    ],
  ],
  ['a 16 oz bottle of water', [['14411', () => 16 * FL_OZ * (W('14411', 'fl oz') / FL_OZ)]]],
  [
    'a cup of greek yoghurt with honey',
    [
      ['01256', () => 236.588],
      ['19296', () => W('19296', 'tbsp')],
    ],
  ],
];

const DISHES: Array<[text: string, parts: Part[]]> = [
  [
    'chicken caesar salad',
    [
      ['11251', () => 2 * W('11251', 'cup')],
      ['05064', () => 3 * OZ],
      ['43015', () => 2 * W('43015', 'tbsp')],
      ['01032', () => W('01032', 'tbsp')],
      ['18243', () => 0.5 * W('18243', 'cup')],
    ],
  ],
  [
    'fish and chips',
    [
      ['36033', () => W('36033', 'serving')],
      ['21138', () => W('21138', 'serving medium')],
    ],
  ],
  [
    'a peanut butter and jelly sandwich',
    [
      ['18069', () => 2 * W('18069', 'slice')],
      ['16098', () => 2 * W('16098', 'tbsp')],
      ['19300', () => W('19300', 'serving 1 tbsp')],
    ],
  ],
];

function checkItem(item: EstimatedItem, parts: Part[]) {
  // The estimator rounds each food's grams to whole grams before applying per-100 g values; so does the check.
  const grams = parts.map(([, g]) => Math.round(g()));
  const expectedGrams = Math.round(grams.reduce((s, g) => s + g, 0));
  const kcal = parts.reduce((s, [ndb], i) => s + kcalOf(ndb, grams[i]!), 0);
  const protein = parts.reduce((s, [ndb], i) => s + proteinOf(ndb, grams[i]!), 0);
  expect(item.recognized).toBe(true);
  expect(
    Math.abs(item.grams - expectedGrams),
    `${item.text}: grams ${item.grams} vs ${expectedGrams}`,
  ).toBeLessThanOrEqual(parts.length);
  // Tolerance: rounding of grams to whole numbers (at most ~1 % here) and of kcal to whole kcal.
  expect(Math.abs(item.nutrients.kcal - kcal), `${item.text}: kcal`).toBeLessThanOrEqual(Math.max(2, kcal * 0.01));
  expect(Math.abs(item.nutrients.protein_g - protein), `${item.text}: protein`).toBeLessThanOrEqual(
    Math.max(0.3, protein * 0.01),
  );
}

describe('meal phrasings against USDA SR28 values', () => {
  const index = new FoodIndex();
  it(`covers at least 40 phrasings (${PHRASINGS.length + DISHES.length})`, () => {
    expect(PHRASINGS.length + DISHES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PHRASINGS)('%j', (text, parts) => {
    const estimate = estimateMeal(text, index);
    expect(estimate.items.map((i) => i.foodId)).toEqual(parts.map(([ndb]) => ndb));
    estimate.items.forEach((item, i) => checkItem(item, [parts[i]!]));
    expect(estimate.warnings.filter((w) => w.startsWith('Could not'))).toEqual([]);
    expect(estimate.confidence).toBeGreaterThan(0.5);
    for (const item of estimate.items) expect(item.assumption).toMatch(/= \d+ g/);
  });

  it.each(DISHES)('composite dish %j is its USDA parts', (text, parts) => {
    const estimate = estimateMeal(text, index);
    expect(estimate.items).toHaveLength(1);
    const item = estimate.items[0]!;
    expect(item.components?.map((c) => c.foodId)).toEqual(parts.map(([ndb]) => ndb));
    checkItem(item, parts);
  });
});
