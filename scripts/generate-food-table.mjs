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
// Usage: node scripts/generate-food-table.mjs [path/to/usda-sr28]
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.resolve(process.argv[2] ?? path.join(root, 'data', 'usda-sr28'));
const outFile = path.join(root, 'src', 'domain', 'nutrition', 'foods.generated.json');
const readJson = (f) => JSON.parse(fs.readFileSync(path.join(root, 'data', f), 'utf8'));
const selection = readJson('food-selection.json');
const rules = readJson('food-rules.json');

// ---------------------------------------------------------------- USDA files
function parseCsvLine(line) {
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
const readCaretFile = (file) =>
  fs
    .readFileSync(path.join(srcDir, file), 'latin1')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => line.split('^').map((f) => f.replace(/^~|~$/g, '')));
const num = (v) => (v === undefined || v === '' ? null : Number(v));

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
// `survey` (FNDDS flag) marks foods used to code what people reported eating in NHANES: our "commonly eaten" signal.
const descriptions = readCaretFile('FOOD_DES.txt').map((f) => ({
  ndb: f[0],
  group: f[1],
  longDesc: f[2],
  comName: f[4],
  manufacturer: f[5],
  survey: f[6] === 'Y',
}));
const portions = new Map();
for (const f of readCaretFile('WEIGHT.txt')) {
  const list = portions.get(f[0]) ?? [];
  list.push({ amount: Number(f[2]), unit: f[3], grams: Number(f[4]) });
  portions.set(f[0], list);
}

// ---------------------------------------------------------------- label normalisation (mirrors food-table.ts)
const SPELLING = rules.spelling; // British/variant → the spelling used in keys
function singular(word) {
  if (/(?:lea|loa|hal)ves$/.test(word)) return `${word.slice(0, -3)}f`;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes|oes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && word.length > 3) return word.slice(0, -1);
  return word;
}
const tidy = (s) =>
  s
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9%'&/.\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** The key a label is indexed under: lower case, one spelling, singular words. */
const labelKey = (s) =>
  tidy(s)
    .split(' ')
    .map((w) => singular(SPELLING[w] ?? w))
    .join(' ');

// ---------------------------------------------------------------- selection rules
const EXCLUDED_GROUPS = new Set(['0300', '3500']); // baby foods; American Indian/Alaska Native foods
const EXCLUDE = new RegExp(rules.exclude.join('|'), 'i');
const KEEP_RESTAURANT = /^Restaurant, (Chinese|Italian|Mexican|Latino|family style),/;
const MEAT_GROUPS = new Set(['0500', '0700', '1000', '1300', '1700']);
const COOKED_DEFAULT = new Set(['0500', '0700', '1000', '1300', '1700', '1500', '1600', '2000']);
const RAW_DEFAULT = new Set(['0900', '1100', '1200']);
const PREFIX =
  /^(?:beverages|alcoholic beverages?|snacks?|nuts|seeds|fast foods?|side dishes|candies|formulated bar|cereals ready-to-eat|cereals|restaurant, (?:chinese|italian|mexican|latino|family style)|fast food, pizza chain|fish|crustaceans|mollusks|spices|game meat|lamb, (?:domestic|new zealand, imported)|veal|pork, fresh|pork, cured|beef, variety meats and by-products|pork, fresh, variety meats and by-products),\s*/i;
const NOISE = new RegExp(`^(?:${rules.noise.join('|')})$`, 'i');
const METHODS = rules.methods; // part → method word shown in the name
const PENALTY = Object.entries(rules.penalties).map(([re, p]) => [new RegExp(re, 'i'), p]);
const BRAND_OK = new RegExp(`\\b(?:${rules.brandAllow.join('|')})\\b`, 'i');

const isCaps = (t) => /[A-Z]/.test(t) && !/[a-z]/.test(t.replace(/^Mc/, '')) && t.replace(/[^A-Za-z]/g, '').length >= 2;

function category(d, lower) {
  const g = d.group;
  if (g === '0100') return /^egg/.test(lower) ? 'eggs' : 'dairy';
  if (g === '0900' || g === '1100')
    return /juice|nectar|drink|smoothie/.test(lower) ? 'drinks' : g === '0900' ? 'fruit' : 'vegetables';
  if (g === '1600') return /milk|beverage|drink/.test(lower) ? 'drinks' : 'legumes';
  if (g === '1800')
    return /cake|cookie|pie\b|pies\b|pastr|doughnut|brownie|danish|strudel|cream puff|eclair|sweet roll|cheesecake|cobbler|crisp|turnover/.test(
      lower,
    )
      ? 'sweets'
      : 'breads';
  if (g === '0600') return /^soup/.test(lower) ? 'soups' : 'sauces';
  if (g === '0400') return /dressing|sauce|mayonnaise|dip/.test(lower) ? 'sauces' : 'fats';
  return rules.groupCategory[g];
}

/** Splits a Long_Desc into brand, head noun, modifiers and method; counts dropped qualifiers. */
function describe(d) {
  let desc = d.longDesc
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const prefixed = PREFIX.exec(desc);
  let prefix = '';
  if (prefixed) {
    prefix = prefixed[0];
    desc = desc.slice(prefix.length);
  }
  let parts = desc.split(/\s*[,;]\s*/).filter(Boolean);
  let brand = '';
  const firstTokens = (parts[0] ?? '').split(' ');
  let caps = 0;
  while (caps < firstTokens.length && isCaps(firstTokens[caps])) caps++;
  if (caps > 0 && (caps < firstTokens.length || parts.length > 1)) {
    brand = firstTokens.slice(0, caps).join(' ');
    const rest = firstTokens.slice(caps).join(' ');
    parts = rest ? [rest, ...parts.slice(1)] : parts.slice(1);
  }
  if (d.manufacturer && !brand) brand = d.manufacturer;
  const brandRoot = brand.toLowerCase().replace(/'s$/, '').split(' ')[0];
  parts = parts
    .map((p) => p.toLowerCase().replace(/["]/g, '').replace(/\s+/g, ' ').trim())
    .map((p) =>
      brandRoot
        ? p
            .split(' ')
            .filter((w) => !w.startsWith(brandRoot))
            .join(' ')
        : p,
    )
    .filter(Boolean);
  const head = parts.shift() ?? '';
  const mods = [];
  let method = '';
  let dropped = 0;
  for (const raw of parts) {
    const p = raw === 'meat and skin' ? 'with skin' : raw;
    const first = p.split(' ')[0];
    const m = METHODS[p] ?? (p.length > 14 ? undefined : METHODS[first]);
    if (m !== undefined) {
      if (m) method = method && m === 'cooked' ? method : m;
      continue;
    }
    if (NOISE.test(p) || p.split(' ').length > 4) {
      dropped++;
      continue;
    }
    if (!mods.includes(p)) mods.push(p);
  }
  return { brand: brand.toLowerCase(), prefix: prefix.toLowerCase(), head, mods, method, dropped };
}

/** Renders a label from the head, the first `k` modifiers and an optional method word. */
function render(info, group, k, withMethod) {
  const mods = info.mods.slice(0, k);
  const method =
    withMethod && info.method && !(info.method === 'raw' && RAW_DEFAULT.has(group)) ? `${info.method} ` : '';
  // Names read in the singular ("banana"), except mass nouns people say in the plural ("black beans", "oats").
  const head = info.head
    .split(' ')
    .map((w, i, a) => (i === a.length - 1 && !rules.keepPlural.includes(w) ? singular(w) : w))
    .join(' ');
  let text;
  if (MEAT_GROUPS.has(group)) {
    // "Chicken, breast" → "chicken breast": meat cuts read in USDA order after the animal.
    const pre = mods.filter((m) => m === 'ground');
    const post = mods.filter((m) => m !== 'ground');
    const skin = post.filter((m) => m === 'with skin');
    text = [...pre, head, ...post.filter((m) => m !== 'with skin'), ...skin].join(' ');
  } else {
    // "Beans, kidney, red" → "red kidney beans": other modifiers are adjectives, most specific last; phrases
    // such as "with cheese" or "in tortilla" stay after the head in USDA order.
    const phrase = (m) =>
      /^(?:with|without|in|on|and|or|from|packed|topped|filled|no|plus|made|w\/)\b/.test(m) || m.split(' ').length > 2;
    text = [...mods.filter((m) => !phrase(m)).reverse(), head, ...mods.filter(phrase)].join(' ');
  }
  return tidy(`${method}${text}`);
}

function priority(d, info, curated) {
  let p = curated ? 1000 : 0;
  const lower = d.longDesc.toLowerCase();
  const cooked = info.method && info.method !== 'raw' && info.method !== 'dry';
  if (COOKED_DEFAULT.has(d.group)) p += cooked ? 20 : info.method === 'raw' || info.method === 'dry' ? -10 : 0;
  if (RAW_DEFAULT.has(d.group)) p += info.method === 'raw' || !info.method ? 20 : 0;
  p -= 3 * info.mods.length + info.dropped;
  if (info.brand) p -= 15;
  for (const [re, v] of PENALTY) if (re.test(lower)) p += v;
  if ((portions.get(d.ndb) ?? []).length > 0) p += 5;
  if (d.survey) p += 8;
  return p;
}

// ---------------------------------------------------------------- build
const curatedByNdb = new Map(selection.foods.map((s) => [s.ndb, s]));
const candidates = [];
for (const d of descriptions) {
  const curated = curatedByNdb.get(d.ndb);
  const n = nutrients.get(d.ndb);
  if (!n) throw new Error(`NDB ${d.ndb} has no ABBREV.csv row`);
  if (!curated) {
    if (n.kcal === null || EXCLUDED_GROUPS.has(d.group) || EXCLUDE.test(d.longDesc)) continue;
    if (d.group === '3600' && !KEEP_RESTAURANT.test(d.longDesc)) continue;
  }
  const info = describe(d);
  if (!curated && info.brand && d.group !== '2100' && !BRAND_OK.test(d.longDesc)) continue;
  // Commonly eaten: the NHANES survey flag, fast food, generic restaurant dishes, or an allow-listed brand.
  if (!curated && !d.survey && d.group !== '2100' && d.group !== '3600' && !(info.brand && BRAND_OK.test(d.longDesc)))
    continue;
  // People log meat and fish cooked; raw cuts are kept only where curated (or eaten raw, as fish for sushi is not in SR28).
  if (!curated && (MEAT_GROUPS.has(d.group) || d.group === '1500') && info.method === 'raw' && !d.survey) continue;
  if (!curated && !info.head) continue;
  const name = curated?.name ?? render(info, d.group, info.mods.length, true);
  candidates.push({ d, info, curated, name, priority: priority(d, info, Boolean(curated)) });
}
for (const s of selection.foods)
  if (!candidates.some((c) => c.d.ndb === s.ndb)) throw new Error(`curated NDB ${s.ndb} (${s.name}) is not in SR28`);
const better = (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.d.ndb < b.d.ndb);

// Near-duplicates (same readable name after dropping grades, trims, salt...) keep only the most default one.
const byName = new Map();
for (const c of candidates) {
  const key = labelKey(c.name);
  const other = byName.get(key);
  if (!other || better(c, other)) byName.set(key, c);
  if (other && other.curated && c.curated && other !== c) throw new Error(`curated name "${c.name}" is used twice`);
}
const chosen = [...byName.values()];
// A curated label outranks a derived name: the derived food keeps a longer, still unique name from its Long_Desc.
const curatedKeys = new Map();
for (const c of chosen.filter((x) => x.curated)) {
  for (const label of [c.curated.name, ...c.curated.aliases]) {
    const owner = curatedKeys.get(labelKey(label));
    if (owner && owner !== c) throw new Error(`curated label "${label}" is used by ${owner.d.ndb} and ${c.d.ndb}`);
    curatedKeys.set(labelKey(label), c);
  }
}
const takenNames = new Set(chosen.map((c) => labelKey(c.name)));
for (const c of chosen) {
  if (c.curated || !curatedKeys.has(labelKey(c.name))) continue;
  let name = tidy(c.d.longDesc.replace(/,/g, ' '));
  if (takenNames.has(labelKey(name))) name = `${name} ${c.d.ndb}`;
  takenNames.add(labelKey(name));
  c.name = name;
}

// Every label people might type, with a claim strength; the strongest claim owns the label.
const claims = new Map();
const claim = (label, c, strength) => {
  const key = labelKey(label);
  if (!key || key.length < 2) return;
  const prev = claims.get(key);
  if (!prev || strength > prev.strength || (strength === prev.strength && c.d.ndb < prev.c.d.ndb))
    claims.set(key, { c, strength, label: tidy(label) });
};
for (const c of chosen) claim(c.name, c, 2e9); // a name always belongs to its own food
for (const c of chosen) {
  if (c.curated) for (const a of c.curated.aliases) claim(a, c, 1e9);
  const { info, d } = c;
  for (let k = 0; k <= info.mods.length; k++) {
    const omitted = info.mods.length - k;
    for (const withMethod of [true, false]) {
      claim(render(info, d.group, k, withMethod), c, c.priority - 5 * omitted - (withMethod ? 0 : 1));
    }
  }
  if (info.brand) claim(`${info.brand} ${render(info, d.group, info.mods.length, false)}`, c, c.priority);
  for (const common of (d.comName || '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !/recipe|commodity/i.test(s))) {
    claim(common, c, c.priority - 4);
  }
}
const aliasesOf = new Map(chosen.map((c) => [c, []]));
for (const { c, label } of claims.values()) if (labelKey(label) !== labelKey(c.name)) aliasesOf.get(c).push(label);
// Spelling variants (yoghurt, fibre, doughnut...) are written out too, for readers of the JSON.
for (const [c, list] of aliasesOf) {
  for (const label of [c.name, ...list]) {
    const words = label.split(' ');
    for (const variant of rules.spellingShown) {
      const canonical = SPELLING[variant];
      if (words.includes(canonical)) list.push(words.map((w) => (w === canonical ? variant : w)).join(' '));
    }
  }
}

const foods = chosen
  .sort((a, b) => (a.d.ndb < b.d.ndb ? -1 : 1))
  .map((c) => ({
    id: c.d.ndb,
    name: c.name,
    aliases: [...new Set(aliasesOf.get(c))].filter((a) => a !== c.name).sort(),
    category: c.curated?.category ?? category(c.d, c.d.longDesc.toLowerCase()),
    usdaName: c.d.longDesc,
    per100g: nutrients.get(c.d.ndb),
    portions: portions.get(c.d.ndb) ?? [],
  }));
for (const f of foods) if (!f.category) throw new Error(`no category for ${f.id} ${f.usdaName}`);

const dishes = readJson('composite-dishes.json').dishes;
const body = JSON.stringify({ foods, dishes });
const table = {
  source:
    'U.S. Department of Agriculture, Agricultural Research Service. USDA National Nutrient Database for Standard Reference, Release 28 (2016). FoodData Central / SR Legacy. Public domain (CC0 1.0).',
  version: `sr28-${createHash('sha256').update(body).digest('hex').slice(0, 10)}`,
  generatedBy:
    'scripts/generate-food-table.mjs from ABBREV.csv, FOOD_DES.txt and WEIGHT.txt; names from data/food-selection.json and data/food-rules.json',
  // The matcher must fold spellings exactly as the labels were folded here.
  spelling: SPELLING,
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
