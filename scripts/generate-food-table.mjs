#!/usr/bin/env node
// Derives src/domain/nutrition/foods.generated.json from USDA SR28 (public domain, CC0) and the curated
// selection in data/food-selection.json (readable names and aliases only). Every nutrient number and
// portion weight comes from the USDA files; none is typed by hand.
// Usage: node scripts/generate-food-table.mjs [path/to/usda-sr28]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'usda-sr28'));
const outFile = path.join(root, 'src', 'domain', 'nutrition', 'foods.generated.json');

function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** SR28 `^`-separated files with `~`-wrapped text fields and CRLF line ends. */
function readCaretFile(file) {
  return fs.readFileSync(file, 'latin1').split(/\r?\n/).filter(Boolean)
    .map((line) => line.split('^').map((f) => f.replace(/^~|~$/g, '')));
}

const num = (v) => (v === undefined || v === '' ? null : Number(v));

const abbrevLines = fs.readFileSync(path.join(srcDir, 'ABBREV.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
const header = parseCsvLine(abbrevLines[0]);
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`ABBREV.csv has no column ${name}`);
  return i;
};
const C = {
  ndb: col('NDB_No'), kcal: col('Energ_Kcal'), protein: col('Protein_(g)'), fat: col('Lipid_Tot_(g)'),
  satfat: col('FA_Sat_(g)'), carb: col('Carbohydrt_(g)'), fiber: col('Fiber_TD_(g)'), sugar: col('Sugar_Tot_(g)'),
  sodium: col('Sodium_(mg)'),
};
const nutrients = new Map();
for (const line of abbrevLines.slice(1)) {
  const f = parseCsvLine(line);
  nutrients.set(f[C.ndb].padStart(5, '0'), {
    kcal: num(f[C.kcal]), protein_g: num(f[C.protein]), fat_g: num(f[C.fat]), satfat_g: num(f[C.satfat]),
    carb_g: num(f[C.carb]), fiber_g: num(f[C.fiber]), sugar_g: num(f[C.sugar]), sodium_mg: num(f[C.sodium]),
  });
}
const descriptions = new Map(readCaretFile(path.join(srcDir, 'FOOD_DES.txt')).map((f) => [f[0], { longDesc: f[2], group: f[1] }]));
const portions = new Map();
for (const f of readCaretFile(path.join(srcDir, 'WEIGHT.txt'))) {
  const list = portions.get(f[0]) ?? [];
  list.push({ amount: Number(f[2]), unit: f[3], grams: Number(f[4]) });
  portions.set(f[0], list);
}

const selection = JSON.parse(fs.readFileSync(path.join(root, 'data', 'food-selection.json'), 'utf8'));
const seen = new Set();
const foods = selection.foods.map((s) => {
  const n = nutrients.get(s.ndb);
  const d = descriptions.get(s.ndb);
  if (!n || !d) throw new Error(`NDB ${s.ndb} (${s.name}) is not in SR28`);
  for (const label of [s.name, ...s.aliases]) {
    if (seen.has(label)) throw new Error(`label "${label}" is used twice`);
    seen.add(label);
  }
  return { id: s.ndb, name: s.name, aliases: s.aliases, category: s.category, usdaName: d.longDesc, per100g: n, portions: portions.get(s.ndb) ?? [] };
});

const body = JSON.stringify(foods);
const table = {
  source: 'U.S. Department of Agriculture, Agricultural Research Service. USDA National Nutrient Database for Standard Reference, Release 28 (2016). Public domain (CC0).',
  version: `sr28-${createHash('sha256').update(body).digest('hex').slice(0, 10)}`,
  foods,
};
fs.writeFileSync(outFile, JSON.stringify(table, null, 1) + '\n');
console.log(`wrote ${foods.length} foods to ${path.relative(root, outFile)} (${table.version})`);
