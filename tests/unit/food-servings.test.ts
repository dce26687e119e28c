import { describe, expect, it } from 'vitest';
import { estimateItem, estimateMeal } from '../../src/domain/nutrition/estimate';
import { FOOD_TABLE, FoodIndex } from '../../src/domain/nutrition/food-table';
import { parseItem } from '../../src/domain/nutrition/parse';
import { CURATED_SERVINGS, curatedServing, OUTLIER_FACTOR, REFERENCE_GRAMS } from '../../src/domain/nutrition/servings';

const index = new FoodIndex();

/**
 * The 50 foods people log most (the everyday staples of NHANES "What We Eat in America" food groups), typed the
 * way people type them, with no amount: the default serving must be a plausible plate. Ranges are built around
 * the FDA reference amounts customarily consumed (21 CFR 101.12, Table 2) and the USDA household portion of each
 * food: from about half a reference amount to about two and a half (a restaurant plate), never a purchase unit.
 */
const COMMON: [text: string, food: string, min: number, max: number][] = [
  ['grilled salmon', 'salmon', 85, 250],
  ['a steak', 'steak', 110, 250],
  ['a bowl of pasta', 'pasta', 140, 350],
  ['pasta', 'pasta', 100, 300],
  ['rice', 'white rice', 100, 300],
  ['chicken breast', 'chicken breast', 85, 250],
  ['an egg', 'egg', 40, 65],
  ['2 eggs', 'egg', 80, 130],
  ['a banana', 'banana', 90, 150],
  ['an apple', 'apple', 120, 250],
  ['an orange', 'orange', 100, 200],
  ['toast', 'white bread', 20, 60],
  ['a bagel', 'bagel', 70, 130],
  ['oatmeal', 'oatmeal', 150, 300],
  ['cereal', 'corn flakes', 20, 60],
  ['milk', 'milk', 200, 300],
  ['yogurt', 'plain yogurt', 150, 250],
  ['cheese', 'cheddar cheese', 15, 60],
  ['coffee', 'coffee', 150, 360],
  ['tea', 'black tea', 150, 360],
  ['orange juice', 'orange juice', 150, 300],
  ['a can of coke', 'cola', 330, 400],
  ['cola', 'cola', 240, 400],
  ['a beer', 'beer', 300, 500],
  ['a glass of wine', 'wine', 100, 180],
  ['a baked potato', 'baked potato', 120, 300],
  ['french fries', 'french fries', 70, 160],
  ['broccoli', 'broccoli', 50, 160],
  ['a carrot', 'carrot', 40, 130],
  ['a tomato', 'tomato', 60, 190],
  ['salad', 'garden salad', 100, 350],
  ['an avocado', 'avocado', 100, 230],
  ['peanut butter', 'peanut butter', 10, 40],
  ['butter', 'butter', 4, 15],
  ['olive oil', 'olive oil', 4, 15],
  ['bacon', 'cooked bacon', 8, 40],
  ['a hamburger', 'hamburger', 70, 300],
  ['pizza', 'cheese pizza', 70, 200],
  ['tuna', 'tuna', 55, 180],
  ['shrimp', 'cooked shrimp', 55, 200],
  ['turkey', 'roasted turkey whole', 55, 200],
  ['a pork chop', 'pork chop', 85, 250],
  ['black beans', 'black beans', 85, 260],
  ['tofu', 'tofu', 80, 200],
  ['almonds', 'almonds', 15, 60],
  ['strawberries', 'strawberries', 80, 200],
  ['grapes', 'grapes', 80, 200],
  ['chocolate', 'milk chocolate', 20, 60],
  ['ice cream', 'vanilla ice cream', 50, 150],
  ['a muffin', 'blueberry muffin', 50, 140],
];

describe('typical servings of the 50 most common foods', () => {
  it('lists 50 distinct foods', () => {
    expect(COMMON).toHaveLength(50);
    expect(new Set(COMMON.map(([text]) => text)).size).toBe(50);
  });

  it.each(COMMON)('"%s" is %s within [%d, %d] g', (text, name, min, max) => {
    const [item] = estimateMeal(text, index).items;
    expect(item!.name).toBe(name);
    expect(item!.grams, item!.assumption).toBeGreaterThanOrEqual(min);
    expect(item!.grams, item!.assumption).toBeLessThanOrEqual(max);
  });

  it('the reported outliers are fixed: grilled salmon is half a fillet (178 g), not a 356 g side', () => {
    const [salmon] = estimateMeal('grilled salmon', index).items;
    expect(salmon!.grams).toBe(178);
    expect(salmon!.nutrients.kcal).toBeLessThan(400);
    expect(estimateMeal('a salmon fillet', index).items[0]!.grams).toBe(178);
    expect(estimateMeal('a steak', index).items[0]!.grams).toBe(170);
    // An amount the person gives is theirs: never replaced by a typical serving.
    expect(estimateMeal('400 g steak', index).items[0]!.grams).toBe(400);
    expect(estimateMeal('a cup of almonds', index).items[0]!.grams).toBe(143);
    expect(estimateMeal('10 almonds', index).items[0]!.grams).toBe(12);
    expect(estimateMeal('4 shrimp', index).items[0]!.grams).toBe(22);
    expect(estimateMeal('2 steaks', index).items[0]!.grams).toBe(340);
  });
});

describe('curated servings', () => {
  it.each(Object.entries(CURATED_SERVINGS))('%s resolves to one of its own USDA weights, with a reason', (id, c) => {
    const food = index.food(id);
    expect(food, `food ${id}`).toBeDefined();
    const serving = curatedServing(food!);
    expect(
      serving,
      `${food!.name}: "${c.portion}" is not one of ${food!.portions.map((p) => `${p.amount} ${p.unit}`).join('; ')}`,
    ).toBeDefined();
    const row = food!.portions.find((p) => `${p.amount} ${p.unit}` === c.portion)!;
    expect(serving!.grams).toBeCloseTo(row.grams * c.times, 1);
    expect(c.why.length).toBeGreaterThan(20);
    const ref = REFERENCE_GRAMS[food!.category]!;
    expect(serving!.grams).toBeLessThanOrEqual(OUTLIER_FACTOR * ref);
  });
});

describe('no default serving is a purchase unit', () => {
  it(`no food, named with no amount, defaults to more than ${OUTLIER_FACTOR} × its category's reference amount when it has a nearer USDA weight`, () => {
    const offenders: string[] = [];
    for (const food of FOOD_TABLE.foods) {
      const parsed = parseItem(food.name);
      // A name that starts with a unit word ("stick margarine") reads as an amount: "a stick" is what was typed.
      if (parsed.unit) continue;
      const item = estimateItem(parsed, index);
      if (item.foodId !== food.id) continue; // the name is owned by a dish or is read as another food
      const ref = REFERENCE_GRAMS[food.category]!;
      const nearer = food.portions.some((p) => p.grams >= ref / 4 && p.grams <= OUTLIER_FACTOR * ref);
      if (item.grams > OUTLIER_FACTOR * ref && nearer)
        offenders.push(`${food.name}: ${item.grams} g (${item.assumption})`);
    }
    expect(offenders).toEqual([]);
  });
});
