import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateFromLabels, estimateLabel, estimateMeal } from '../../src/domain/nutrition/estimate';
import { FOOD_TABLE, FoodIndex } from '../../src/domain/nutrition/food-table';
import { FOOD_CATEGORIES, NUTRIENT_KEYS, type EstimatedItem } from '../../src/domain/nutrition/types';

// Expected values come from the USDA SR28 files themselves (ABBREV.csv per 100 g, WEIGHT.txt portions), never
// from typed-in kcal: a test case names the NDB number and the USDA portion, and the arithmetic is done here.
// The public-domain files ship with the project (data/usda-sr28), so every clone runs every test here.
const USDA = path.resolve(__dirname, '..', '..', 'data', 'usda-sr28');

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const COLUMNS: Record<(typeof NUTRIENT_KEYS)[number], string> = {
  kcal: 'Energ_Kcal',
  protein_g: 'Protein_(g)',
  fat_g: 'Lipid_Tot_(g)',
  satfat_g: 'FA_Sat_(g)',
  carb_g: 'Carbohydrt_(g)',
  fiber_g: 'Fiber_TD_(g)',
  sugar_g: 'Sugar_Tot_(g)',
  sodium_mg: 'Sodium_(mg)',
};
const abbrev = new Map<string, Record<string, number | null>>();
const weights = new Map<string, Array<{ amount: number; unit: string; grams: number }>>();
{
  const lines = fs.readFileSync(path.join(USDA, 'ABBREV.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const header = parseCsvLine(lines[0]!);
  for (const line of lines.slice(1)) {
    const f = parseCsvLine(line);
    const row: Record<string, number | null> = {};
    for (const [k, c] of Object.entries(COLUMNS)) {
      const v = f[header.indexOf(c)];
      row[k] = v === undefined || v === '' ? null : Number(v);
    }
    abbrev.set(f[header.indexOf('NDB_No')]!.padStart(5, '0'), row);
  }
  for (const line of fs.readFileSync(path.join(USDA, 'WEIGHT.txt'), 'latin1').split(/\r?\n/).filter(Boolean)) {
    const f = line.split('^').map((x) => x.replace(/^~|~$/g, ''));
    const list = weights.get(f[0]!) ?? [];
    list.push({ amount: Number(f[2]), unit: f[3]!, grams: Number(f[4]) });
    weights.set(f[0]!, list);
  }
}

/** Grams of one unit of the WEIGHT.txt portion of `ndb` whose description is or starts with `desc`. */
const W = (ndb: string, desc: string) => {
  const list = weights.get(ndb) ?? [];
  const p = list.find((x) => x.unit === desc) ?? list.find((x) => x.unit.startsWith(desc));
  if (!p) throw new Error(`WEIGHT.txt has no "${desc}" portion for ${ndb}`);
  return p.grams / p.amount;
};
/** Grams of `ml` millilitres of `ndb`, by the density of its USDA portion `desc` (`descMl` ml). */
const byVolume = (ndb: string, ml: number, desc = 'cup', descMl = 236.588) => (ml * W(ndb, desc)) / descMl;
const kcalOf = (ndb: string, grams: number) => ((abbrev.get(ndb)!.kcal ?? 0) * grams) / 100;
const proteinOf = (ndb: string, grams: number) => ((abbrev.get(ndb)!.protein_g ?? 0) * grams) / 100;

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

describe('the generated food table', () => {
  it('has at least 1,500 foods, every category, the USDA citation, and a modest size', () => {
    expect(FOOD_TABLE.foods.length).toBeGreaterThanOrEqual(1500);
    expect(FOOD_TABLE.source).toMatch(/U\.S\. Department of Agriculture, Agricultural Research Service/);
    expect(FOOD_TABLE.source).toMatch(/SR|Standard Reference/);
    for (const c of FOOD_CATEGORIES)
      expect(FOOD_TABLE.foods.filter((f) => f.category === c).length, c).toBeGreaterThanOrEqual(10);
    for (const f of FOOD_TABLE.foods) expect(FOOD_CATEGORIES as readonly string[]).toContain(f.category);
    const bytes = fs.statSync(path.resolve(__dirname, '../../src/domain/nutrition/foods.generated.json')).size;
    expect(bytes).toBeLessThan(1_600_000);
  });

  it('copies every nutrient from ABBREV.csv and every portion from WEIGHT.txt', () => {
    for (const f of FOOD_TABLE.foods) {
      const row = abbrev.get(f.id);
      expect(row, f.id).toBeDefined();
      for (const k of NUTRIENT_KEYS) expect(f.per100g[k], `${f.id} ${k}`).toBe(row![k]);
      expect(f.portions, f.id).toEqual(weights.get(f.id) ?? []);
    }
  });

  it('has unique ids and names, and every label resolves to exactly one food', () => {
    const index = new FoodIndex();
    expect(new Set(FOOD_TABLE.foods.map((f) => f.id)).size).toBe(FOOD_TABLE.foods.length);
    const owner = new Map<string, string>();
    for (const f of FOOD_TABLE.foods) {
      for (const label of [f.name, ...f.aliases]) {
        const key = index.key(label);
        expect(owner.get(key) ?? f.id, `"${label}" (${key}) is claimed by ${owner.get(key)} and ${f.id}`).toBe(f.id);
        owner.set(key, f.id);
        expect(index.match(label)?.food.id, label).toBe(f.id);
      }
    }
  });

  it('has readable names derived from the USDA description', () => {
    const byId = (id: string) => FOOD_TABLE.foods.find((f) => f.id === id)!;
    expect(byId('09040').name).toBe('banana');
    expect(byId('05064').aliases).toContain('roasted chicken breast');
    expect(byId('16015').name).toBe('black beans');
    expect(byId('04053').name).toBe('olive oil');
    // Mostly derived, not hand-named: far more foods than curated entries.
    const curated = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../data/food-selection.json'), 'utf8')).foods
      .length;
    expect(FOOD_TABLE.foods.length).toBeGreaterThan(10 * curated);
    const aliases = FOOD_TABLE.foods.reduce((s, f) => s + f.aliases.length, 0);
    expect(aliases).toBeGreaterThan(FOOD_TABLE.foods.length);
  });
});
