// Reads the USDA SR28 files the food table is derived from: ABBREV.csv (nutrients per 100 g), FOOD_DES.txt
// (descriptions, food groups, survey flag) and WEIGHT.txt (household portions). Numbers are copied as they are.
import fs from 'node:fs';
import path from 'node:path';

export function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
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
/** SR28 `^`-separated files with `~`-wrapped text fields and CRLF line ends. */
const readCaretFile = (srcDir, file) =>
  fs
    .readFileSync(path.join(srcDir, file), 'latin1')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => line.split('^').map((f) => f.replace(/^~|~$/g, '')));
const num = (v) => (v === undefined || v === '' ? null : Number(v));

/** Nutrients per 100 g by 5-digit NDB number, from ABBREV.csv. */
function readNutrients(srcDir) {
  const abbrevLines = fs.readFileSync(path.join(srcDir, 'ABBREV.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const header = parseCsvLine(abbrevLines[0]);
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`ABBREV.csv has no column ${name}`);
    return i;
  };
  const C = {
    ndb: col('NDB_No'),
    kcal: col('Energ_Kcal'),
    protein: col('Protein_(g)'),
    fat: col('Lipid_Tot_(g)'),
    satfat: col('FA_Sat_(g)'),
    carb: col('Carbohydrt_(g)'),
    fiber: col('Fiber_TD_(g)'),
    sugar: col('Sugar_Tot_(g)'),
    sodium: col('Sodium_(mg)'),
  };
  const nutrients = new Map();
  for (const line of abbrevLines.slice(1)) {
    const f = parseCsvLine(line);
    nutrients.set(f[C.ndb].padStart(5, '0'), {
      kcal: num(f[C.kcal]),
      protein_g: num(f[C.protein]),
      fat_g: num(f[C.fat]),
      satfat_g: num(f[C.satfat]),
      carb_g: num(f[C.carb]),
      fiber_g: num(f[C.fiber]),
      sugar_g: num(f[C.sugar]),
      sodium_mg: num(f[C.sodium]),
    });
  }
  return nutrients;
}

/** Food descriptions in FOOD_DES.txt order. */
function readDescriptions(srcDir) {
  // `survey` (FNDDS flag) marks foods used to code what people reported eating in NHANES: our "commonly eaten" signal.
  return readCaretFile(srcDir, 'FOOD_DES.txt').map((f) => ({
    ndb: f[0],
    group: f[1],
    longDesc: f[2],
    comName: f[4],
    manufacturer: f[5],
    survey: f[6] === 'Y',
  }));
}

/** Household portions (amount, unit, grams) by NDB number, in WEIGHT.txt order. */
function readPortions(srcDir) {
  const portions = new Map();
  for (const f of readCaretFile(srcDir, 'WEIGHT.txt')) {
    const list = portions.get(f[0]) ?? [];
    list.push({ amount: Number(f[2]), unit: f[3], grams: Number(f[4]) });
    portions.set(f[0], list);
  }
  return portions;
}

/** Reads the SR28 folder `srcDir`: nutrients and portions by NDB number, and the list of descriptions. */
export function readUsdaFiles(srcDir) {
  const nutrients = readNutrients(srcDir);
  const descriptions = readDescriptions(srcDir);
  const portions = readPortions(srcDir);
  return { nutrients, descriptions, portions };
}
