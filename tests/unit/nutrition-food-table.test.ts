import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOOD_TABLE, FoodIndex } from '../../src/domain/nutrition/food-table';
import { FOOD_CATEGORIES, NUTRIENT_KEYS } from '../../src/domain/nutrition/types';
import { abbrev, weights } from '../support/usda-sr28';

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
