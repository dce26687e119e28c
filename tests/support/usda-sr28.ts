import fs from 'node:fs';
import path from 'node:path';
import type { NUTRIENT_KEYS } from '../../src/domain/nutrition/types';
// The generator's own CSV reader (plain JS, typed by usda-files.d.mts): one parser for the same file.
import { parseCsvLine } from '../../scripts/food-table/usda-files.mjs';

// The USDA SR28 files themselves (ABBREV.csv per 100 g, WEIGHT.txt portions), read for the nutrition tests so
// their expected values never come from typed-in kcal: a test case names the NDB number and the USDA portion,
// and the arithmetic is done with these tables. The public-domain files ship with the project
// (data/usda-sr28), so every clone runs every test that uses them.
const USDA = path.resolve(__dirname, '..', '..', 'data', 'usda-sr28');

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
export const abbrev = new Map<string, Record<string, number | null>>();
export const weights = new Map<string, Array<{ amount: number; unit: string; grams: number }>>();
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
export const W = (ndb: string, desc: string) => {
  const list = weights.get(ndb) ?? [];
  const p = list.find((x) => x.unit === desc) ?? list.find((x) => x.unit.startsWith(desc));
  if (!p) throw new Error(`WEIGHT.txt has no "${desc}" portion for ${ndb}`);
  return p.grams / p.amount;
};
/** Grams of `ml` millilitres of `ndb`, by the density of its USDA portion `desc` (`descMl` ml). */
export const byVolume = (ndb: string, ml: number, desc = 'cup', descMl = 236.588) => (ml * W(ndb, desc)) / descMl;
export const kcalOf = (ndb: string, grams: number) => ((abbrev.get(ndb)!.kcal ?? 0) * grams) / 100;
export const proteinOf = (ndb: string, grams: number) => ((abbrev.get(ndb)!.protein_g ?? 0) * grams) / 100;
