import type { Food, Portion } from './types';

/**
 * Typical servings: what "grilled salmon" or "a steak" means when no amount is given. USDA's household weights
 * (WEIGHT.txt) include purchase units (a whole side of salmon, the yield of a one-pound steak, a whole turkey, a
 * head of cabbage, a cup of almonds), and picking one of those as "a serving" made a 356 g, 733 kcal salmon.
 *
 * Two layers, both choosing among the food's own USDA weights (no gram figure is typed here):
 * 1. CURATED: the common dishes whose default was reviewed one by one, each with its reason.
 * 2. An outlier guard for every other food: a default more than 3 × the reference amount of its category (FDA
 *    reference amounts customarily consumed, 21 CFR 101.12 Table 2, rounded) is replaced by the food's USDA
 *    weight nearest that reference amount ("3 oz", "1 oz", "1 cup, chopped"), when no amount was given at all.
 *    An amount the person gives ("a cucumber", "a cup of almonds", "400 g steak") is never changed.
 */

export interface CuratedServing {
  /** A USDA portion of the food, written `${amount} ${unit}` exactly as in WEIGHT.txt ("0.5 fillet", "3 oz"). */
  portion: string;
  /** How many of that portion a serving is (2 × "3 oz" = a 6 oz steak). */
  times: number;
  /** True: "a steak", "2 steaks" count servings. False: a count means pieces ("5 strawberries"). */
  counts: boolean;
  /** Household units that mean one serving for this food ("a fillet of salmon", "a glass of wine"). */
  units: string[];
  why: string;
}

/** By food id (NDB number). tests/unit/food-servings.test.ts checks each portion exists in the food's USDA weights. */
export const CURATED_SERVINGS: Record<string, CuratedServing> = {
  '15237': {
    portion: '0.5 fillet',
    times: 1,
    counts: true,
    units: ['fillet'],
    why: "salmon: USDA's fillet is a whole side (356 g cooked); its half fillet (178 g, ~6 oz) is the restaurant portion. Reference amount 85 g.",
  },
  '13930': {
    portion: '3 oz',
    times: 2,
    counts: true,
    units: ['piece'],
    why: "steak: USDA's other weight is the yield of a one-pound raw steak (306 g); a typical steak is 8 oz raw ≈ 6 oz (170 g) cooked.",
  },
  '05168': {
    portion: '3 oz',
    times: 1,
    counts: true,
    units: [],
    why: 'turkey: the only other USDA weight is the whole bird (3.8 kg); 3 oz is the reference amount for cooked meat.',
  },
  '14084': {
    portion: '1 serving (5 fl oz)',
    times: 1,
    counts: true,
    units: ['glass'],
    why: 'wine: a standard glass is 5 fl oz (148 g), not the generic 240 ml drinking glass.',
  },
  '14148': {
    portion: '1 can or bottle (12 fl oz)',
    times: 1,
    counts: true,
    units: [],
    why: 'cola: with no amount, a 12 fl oz can (370 g) rather than a 22 fl oz fountain drink (676 g).',
  },
  '12061': {
    portion: '1 oz (23 whole kernels)',
    times: 1,
    counts: false,
    units: [],
    why: 'almonds: 1 oz (28 g) is the reference amount for nuts; a cup (143 g, 828 kcal) is five servings.',
  },
  '16390': {
    portion: '1 oz',
    times: 1,
    counts: false,
    units: [],
    why: 'peanuts: 1 oz, the reference amount for nuts, not a cup (146 g).',
  },
  '12155': {
    portion: '1 oz (14 halves)',
    times: 1,
    counts: false,
    units: [],
    why: 'walnuts: 1 oz, the reference amount for nuts, not a cup (117 g).',
  },
  '19120': {
    portion: '1 bar (1.55 oz)',
    times: 1,
    counts: true,
    units: ['bar'],
    why: 'milk chocolate: a standard bar (44 g), not a cup of chips (168 g); "a bar" is that bar, not a miniature.',
  },
  '16137': {
    portion: '1 tablespoon',
    times: 2,
    counts: false,
    units: [],
    why: 'hummus: 2 tbsp (30 g) is the reference amount for dips, not a cup (246 g).',
  },
  '08037': {
    portion: '1 oz',
    times: 2,
    counts: false,
    units: [],
    why: 'granola: about 2 oz (57 g, half a cup) is a bowl of granola; a cup is 122 g and 597 kcal.',
  },
  '15151': {
    portion: '3 oz',
    times: 1,
    counts: false,
    units: [],
    why: 'shrimp: with no amount, a 3 oz serving (85 g) rather than one large shrimp (6 g); "4 shrimp" still count pieces.',
  },
  '09316': {
    portion: '1 NLEA serving',
    times: 1,
    counts: false,
    units: [],
    why: 'strawberries: with no amount, a serving (147 g) rather than one berry (12 g); "5 strawberries" still count berries.',
  },
  '16426': {
    portion: '0.5 cup',
    times: 1,
    counts: false,
    units: [],
    why: 'tofu: half a cup (126 g), as USDA lists it, not a whole cup (252 g).',
  },
  '19034': {
    portion: '1 oz',
    times: 1,
    counts: false,
    units: [],
    why: 'popcorn: 1 oz (about 3.5 cups) is a snack serving; one cup is 8 g.',
  },
  '18274': {
    portion: '1 medium',
    times: 1,
    counts: true,
    units: ['muffin'],
    why: 'blueberry muffin: a medium muffin (113 g); USDA\'s plain "muffin" weight (31 g) is the mini size this entry includes.',
  },
};

/** Reference amounts by category (g), FDA RACC rounded; used only to spot a default far beyond a serving. */
export const REFERENCE_GRAMS: Record<string, number> = {
  meat: 85,
  fish: 85,
  eggs: 50,
  dairy: 240,
  nuts: 30,
  legumes: 130,
  vegetables: 85,
  fruit: 140,
  grains: 140,
  cereals: 40,
  breads: 50,
  sweets: 55,
  snacks: 30,
  fats: 15,
  sauces: 60,
  spices: 2,
  soups: 245,
  drinks: 360,
  'fast food': 200,
  dishes: 240,
};
/** A default this many times the reference amount is a purchase unit, not a serving. */
export const OUTLIER_FACTOR = 3;

const describe = (p: Portion) => `${p.amount} ${p.unit}`;

/** The curated serving of a food, resolved against its own USDA weights. */
export function curatedServing(food: Food): (CuratedServing & { grams: number; how: string }) | undefined {
  const c = CURATED_SERVINGS[food.id];
  const p = c && food.portions.find((x) => describe(x) === c.portion);
  if (!c || !p) return undefined;
  const grams = Math.round(p.grams * c.times * 10) / 10;
  return { ...c, grams, how: `serving (${c.times === 1 ? '' : `${c.times} × `}USDA ${c.portion} = ${grams} g)` };
}

/**
 * The food's USDA weight nearest its category's reference amount, when `grams` (the default about to be used) is
 * an outlier and a weight nearer a serving exists; undefined otherwise.
 */
export function nearerServing(food: Food, grams: number): { grams: number; how: string } | undefined {
  const ref = REFERENCE_GRAMS[food.category];
  if (!ref || grams <= OUTLIER_FACTOR * ref) return undefined;
  const distance = (g: number) => Math.abs(Math.log(g / ref));
  // A single almond or a pinch is no serving either: only weights from a quarter of the reference amount up.
  const best = food.portions
    .filter((p) => p.amount > 0 && p.grams >= ref / 4 && p.grams <= OUTLIER_FACTOR * ref)
    .sort((a, b) => distance(a.grams) - distance(b.grams))[0];
  if (!best) return undefined;
  return {
    grams: best.grams,
    how: `typical serving (USDA ${describe(best)} = ${best.grams} g; ${Math.round(grams)} g is a whole purchase unit)`,
  };
}
