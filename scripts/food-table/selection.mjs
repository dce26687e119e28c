// Which SR28 foods enter the table, and how strongly each one claims its labels. The food group selects, keyword
// rules (data/food-rules.json `exclude`) leave out baby food, commodity, industrial, chain restaurants...; curated
// foods (data/food-selection.json) are always kept. The priority ranks foods by how much of a default each is:
// in the state people usually mean, unbranded, fresh, commonly eaten.
import { COOKED_DEFAULT, EXCLUDED_GROUPS, MEAT_GROUPS, RAW_DEFAULT } from './food-groups.mjs';

const KEEP_RESTAURANT = /^Restaurant, (Chinese|Italian|Mexican|Latino|family style),/;

function priority(d, info, curated, { PENALTY, portions }) {
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

/**
 * The foods of the table before label resolution, in FOOD_DES.txt order: `{ d, info, curated, name, priority }`
 * per food (`d`: the description, `info`: its `describe`d parts, `curated`: its data/food-selection.json entry).
 * Throws when a food has no nutrients or a curated NDB number is not in SR28.
 */
export function selectCandidates({ descriptions, nutrients, portions, curatedFoods, rules, describe, render }) {
  const EXCLUDE = new RegExp(rules.exclude.join('|'), 'i');
  const PENALTY = Object.entries(rules.penalties).map(([re, p]) => [new RegExp(re, 'i'), p]);
  const BRAND_OK = new RegExp(`\\b(?:${rules.brandAllow.join('|')})\\b`, 'i');

  const curatedByNdb = new Map(curatedFoods.map((s) => [s.ndb, s]));
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
    candidates.push({ d, info, curated, name, priority: priority(d, info, Boolean(curated), { PENALTY, portions }) });
  }
  for (const s of curatedFoods)
    if (!candidates.some((c) => c.d.ndb === s.ndb)) throw new Error(`curated NDB ${s.ndb} (${s.name}) is not in SR28`);
  return candidates;
}
