#!/usr/bin/env node
// Derives src/domain/nutrition/foods.generated.json from USDA SR28 (public domain, CC0).
//
// Every nutrient number and portion weight is copied from ABBREV.csv / WEIGHT.txt; none is typed by hand.
// What is curated (data/*.json) is only words: readable names and aliases for ~100 common foods that must win
// their label ("rice" → cooked white rice), a brand allow-list, spelling variants, and composite dishes written
// as ordinary meal text. Everything else is derived from FOOD_DES.txt: the food group selects, keyword rules
// exclude (baby food, commodity, industrial, chain restaurants...), and the Long_Desc is rewritten into a
// readable name ("Bananas, raw" → "banana"; "Chicken, broilers or fryers, breast, meat only, cooked, roasted"
// → "roasted chicken breast", alias "chicken breast").
//
// Labels are resolved globally and deterministically: a curated label always wins; otherwise the food whose
// description the label covers most completely, in the state people usually mean (cooked meat and grains,
// raw fruit and vegetables), unbranded and fresh, wins; ties go to the lower NDB number.
//
// This file reads the arguments and data/*.json, runs the steps and writes the table. The steps live in
// scripts/food-table/:
//   usda-files.mjs      reading ABBREV.csv, FOOD_DES.txt and WEIGHT.txt
//   labels.mjs          label normalisation (tidy, singular, label keys; mirrors food-table.ts)
//   food-groups.mjs     SR28 food group codes: excluded, meat, cooked/raw by default, categories
//   readable-names.mjs  Long_Desc → brand, head, modifiers, method → readable name
//   selection.mjs       which foods are kept, and their priority
//   label-claims.mjs    near-duplicates, curated labels, and which food owns each label (aliases)
// Usage: node scripts/generate-food-table.mjs [path/to/usda-sr28]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { category } from './food-table/food-groups.mjs';
import { resolveLabels } from './food-table/label-claims.mjs';
import { readableNames } from './food-table/readable-names.mjs';
import { selectCandidates } from './food-table/selection.mjs';
import { readUsdaFiles } from './food-table/usda-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.resolve(process.argv[2] ?? path.join(root, 'data', 'usda-sr28'));
const outFile = path.join(root, 'src', 'domain', 'nutrition', 'foods.generated.json');
const readJson = (f) => JSON.parse(fs.readFileSync(path.join(root, 'data', f), 'utf8'));
const selection = readJson('food-selection.json');
const rules = readJson('food-rules.json');

// ---------------------------------------------------------------- build
const { nutrients, descriptions, portions } = readUsdaFiles(srcDir);
const { describe, render } = readableNames(rules);
const candidates = selectCandidates({
  descriptions,
  nutrients,
  portions,
  curatedFoods: selection.foods,
  rules,
  describe,
  render,
});
const { chosen, aliasesOf } = resolveLabels(candidates, { rules, render });

const foods = chosen
  .sort((a, b) => (a.d.ndb < b.d.ndb ? -1 : 1))
  .map((c) => ({
    id: c.d.ndb,
    name: c.name,
    aliases: [...new Set(aliasesOf.get(c))].filter((a) => a !== c.name).sort(),
    category: c.curated?.category ?? category(c.d, c.d.longDesc.toLowerCase(), rules.groupCategory),
    usdaName: c.d.longDesc,
    per100g: nutrients.get(c.d.ndb),
    portions: portions.get(c.d.ndb) ?? [],
  }));
for (const f of foods) if (!f.category) throw new Error(`no category for ${f.id} ${f.usdaName}`);

// ---------------------------------------------------------------- write
const dishes = readJson('composite-dishes.json').dishes;
const body = JSON.stringify({ foods, dishes });
const table = {
  source:
    'U.S. Department of Agriculture, Agricultural Research Service. USDA National Nutrient Database for Standard Reference, Release 28 (2016). FoodData Central / SR Legacy. Public domain (CC0 1.0).',
  version: `sr28-${createHash('sha256').update(body).digest('hex').slice(0, 10)}`,
  generatedBy:
    'scripts/generate-food-table.mjs from ABBREV.csv, FOOD_DES.txt and WEIGHT.txt; names from data/food-selection.json and data/food-rules.json',
  // The matcher must fold spellings exactly as the labels were folded here.
  spelling: rules.spelling,
  foods,
  dishes,
};
// One food per line: small enough to commit, still readable in a diff.
const lines = [
  '{',
  ...['source', 'version', 'generatedBy', 'spelling'].map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(table[k])},`),
  ` "dishes": ${JSON.stringify(dishes)},`,
  ' "foods": [',
  foods.map((f) => `  ${JSON.stringify(f)}`).join(',\n'),
  ' ]',
  '}',
];
fs.writeFileSync(outFile, `${lines.join('\n')}\n`);
const aliasCount = foods.reduce((s, f) => s + f.aliases.length, 0);
console.log(
  `wrote ${foods.length} foods, ${aliasCount} aliases, ${dishes.length} dishes to ${path.relative(root, outFile)} (${table.version})`,
);
