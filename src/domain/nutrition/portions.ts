import { singular } from './food-table';
import { curatedServing, nearerServing } from './servings';
import type { Food, ParsedItem, Portion } from './types';

/**
 * Grams of one unit of a food, from the food's own USDA household weights (WEIGHT.txt) wherever it has them:
 * a cup of rice is not a cup of milk, and "an avocado" is USDA's whole avocado. Only when the food has no such
 * portion does a generic household size apply, and the assumption says so.
 */

export interface UnitWeight {
  grams: number;
  /** How one unit was weighed, for the assumption text. */
  how: string;
  /** 1 = the food's own USDA weight or an exact measure; lower for generic defaults. */
  certainty: number;
}

export const MASS_GRAMS: Record<string, number> = { g: 1, kg: 1000, oz: 28.3495, lb: 453.592 };
/** US customary volumes in millilitres (exact definitions, not nutrient data). */
export const VOLUME_ML: Record<string, number> = {
  ml: 1,
  l: 1000,
  cup: 236.588,
  tbsp: 14.787,
  tsp: 4.929,
  'fl oz': 29.574,
  pint: 473.176,
  quart: 946.353,
  shot: 44.36,
};
/**
 * Household containers without a USDA weight for this food: a typical volume (a drinking glass 240 ml, a 12 fl oz
 * can, a 355 ml cereal/soup bowl, a 300 ml mug, a 500 ml bottle). They vary, so the certainty is lower.
 */
export const CONTAINER_ML: Record<string, number> = {
  glass: 240,
  can: 355,
  bowl: 355,
  mug: 300,
  bottle: 500,
  carton: 240,
};
/** A size word on a generic container or handful scales it (a "large glass" ~ 1.5 glasses). */
export const SIZE_FACTOR = { small: 0.75, medium: 1, large: 1.5 } as const;
/** A handful is about 30 g (an ounce of nuts, berries or snacks); rough, said so in the assumption. */
export const HANDFUL_GRAMS = 30;
/** Without any portion data, one item is taken as a 100 g serving. */
export const DEFAULT_SERVING_GRAMS = 100;

/** Volume of one USDA portion unit in ml, when its description is a volume ("cup, chopped", "fl oz", "tbsp"). */
function portionMl(p: Portion): number | undefined {
  const d = p.unit.toLowerCase();
  // "serving 1 tbsp", "serving 1 cup": a serving stated as a volume.
  const serving = /^serving (\d+(?:\.\d+)?) (cup|tbsp|tsp|fl oz)\b/.exec(d);
  if (serving) return Number(serving[1]) * VOLUME_ML[serving[2]!]!;
  if (/^fl oz\b/.test(d)) return VOLUME_ML['fl oz'];
  const first = d.split(/[ ,(]/)[0] ?? '';
  const byWord: Record<string, number | undefined> = {
    cup: VOLUME_ML.cup,
    cups: VOLUME_ML.cup,
    tbsp: VOLUME_ML.tbsp,
    tablespoon: VOLUME_ML.tbsp,
    tsp: VOLUME_ML.tsp,
    teaspoon: VOLUME_ML.tsp,
    quart: VOLUME_ML.quart,
    pint: VOLUME_ML.pint,
    liter: 1000,
    ml: 1,
  };
  return byWord[first];
}

const firstWord = (p: Portion) => singular(p.unit.toLowerCase().split(/[ ,(]/)[0] ?? '');
const each = (p: Portion) => p.grams / p.amount;
const label = (p: Portion) => (p.amount === 1 ? p.unit : `${p.amount} ${p.unit}`);
const round1 = (v: number) => Math.round(v * 10) / 10;

/** The food's own portion named `word`: the plain one ("cup") before qualified ones ("cup, chopped"). */
export function ownPortion(food: Food, word: string): Portion | undefined {
  const w = word.toLowerCase();
  return (
    food.portions.find((p) => p.unit.toLowerCase() === w) ??
    food.portions.find((p) => p.unit.toLowerCase().startsWith(`${w} `) || p.unit.toLowerCase().startsWith(`${w},`)) ??
    food.portions.find((p) => firstWord(p) === singular(w))
  );
}

/** Grams per ml from the food's own volume portions (cup first), if it has any. */
export function density(food: Food): { gPerMl: number; from: Portion } | undefined {
  const volume = [ownPortion(food, 'cup'), ...food.portions].filter(
    (p): p is Portion => !!p && portionMl(p) !== undefined,
  );
  const p = volume[0];
  return p ? { gPerMl: each(p) / portionMl(p)!, from: p } : undefined;
}

function byVolume(food: Food, ml: number, what: string, certainty: number): UnitWeight {
  const d = density(food);
  if (d)
    return { grams: ml * d.gPerMl, how: `${what} (density from USDA ${label(d.from)} = ${d.from.grams} g)`, certainty };
  return { grams: ml, how: `${what} at 1 g/ml`, certainty: certainty * 0.8 };
}

/** Portions that stand for one whole item when someone counts ("2 eggs", "an avocado", "a cucumber"). */
const WHOLE = [
  'medium',
  'large',
  'each',
  'whole',
  'fruit',
  'item',
  'sandwich',
  'burger',
  'slice',
  'piece',
  'patty',
  'link',
  'strip',
  'breast',
  'thigh',
  'drumstick',
  'wing',
  'fillet',
  'steak',
  'chop',
  'bar',
  'cookie',
  'muffin',
  'bagel',
  'pancake',
  'waffle',
  'tortilla',
  'roll',
  'bun',
  'doughnut',
  'container',
  'can',
  'bottle',
  'serving',
  'nlea',
  'cup',
];
/** Household words USDA spells another way ("3 strips of bacon" → USDA "slice"). */
const UNIT_SYNONYMS: Record<string, string[]> = {
  strip: ['strip', 'slice'],
  piece: ['piece', 'slice', 'item', 'each'],
  bar: ['bar', 'piece'],
  link: ['link', 'sausage'],
  wedge: ['wedge', 'slice'],
  leaf: ['leaf', 'leave'],
  scoop: ['scoop', 'cup'],
};
/** Spreads, fats, sauces and seasonings: with no amount, a spoonful is meant, not a cup. */
const CONDIMENT =
  /\b(?:jam|jelly|honey|syrup|sugar|peanut butter|nutella|cream cheese|spread|dressing|mayonnaise|catsup|mustard|butter|margarine|oil|sauce|salsa|gravy|salt|pepper|cinnamon|vinegar)\b/;
const CONDIMENT_ORDER = ['pat', 'tbsp', 'tablespoon', 'packet', 'tsp', 'dash', 'serving'];
export const isCondiment = (food: Food) =>
  ['fats', 'sauces', 'spices'].includes(food.category) || CONDIMENT.test(food.name);

/** With no amount at all ("toast", "pizza", "coffee"), a serving is meant rather than a whole pie or a single berry. */
const SERVING = [
  'serving',
  'nlea',
  'slice',
  'medium',
  'piece',
  'item',
  'sandwich',
  'burger',
  'patty',
  'fillet',
  'breast',
  'cup',
  'large',
  'each',
  'fruit',
  'container',
  'can',
  'bottle',
  'bar',
];

function countPortion(food: Food, item: ParsedItem, implicit: boolean): UnitWeight {
  if (item.size) {
    const sized =
      food.portions.find((p) => firstWord(p) === item.size) ??
      food.portions.find(
        (p) =>
          p.unit
            .toLowerCase()
            .split(/[ ,()]+/)
            .includes(item.size!) && !/extra/i.test(p.unit),
      );
    if (sized) return { grams: each(sized), how: sized.unit, certainty: 1 };
  }
  if (implicit) {
    const order = isCondiment(food) ? CONDIMENT_ORDER : [];
    const medium = food.portions.find((p) => /\bmedium\b/i.test(p.unit) && !/extra/i.test(p.unit));
    const pick = order.map((w) => food.portions.find((p) => firstWord(p) === w)).find(Boolean) ?? medium;
    if (pick) return { grams: each(pick), how: pick.unit, certainty: 0.8 };
  }
  // The food's own whole-item portion ("avocado, NS as to Florida or California", "cucumber (8-1/4")").
  const nameWords = new Set(food.name.toLowerCase().split(' ').map(singular));
  const wholes = food.portions.filter((p) => nameWords.has(firstWord(p)) && portionMl(p) === undefined);
  const whole = wholes.find((p) => /\bmedium\b/i.test(p.unit)) ?? wholes[0];
  const order = implicit ? SERVING : WHOLE;
  const ranked = order.map((w) => food.portions.find((p) => firstWord(p) === w)).filter((p): p is Portion => !!p);
  const pick = implicit ? (ranked[0] ?? whole) : (whole ?? ranked[0]);
  if (pick) return { grams: each(pick), how: pick.unit, certainty: implicit ? 0.8 : 1 };
  const first = food.portions.find((p) => !/^(?:oz|lb|g)\b/.test(p.unit));
  if (first) return { grams: each(first), how: first.unit, certainty: 0.6 };
  return { grams: DEFAULT_SERVING_GRAMS, how: `serving taken as ${DEFAULT_SERVING_GRAMS} g`, certainty: 0.6 };
}

/** Grams of one `item.unit` of `food`. */
export function gramsPerUnit(food: Food, item: ParsedItem, implicit = false): UnitWeight {
  let unit = item.unit;
  // "a 12 oz can of coke": for a drink, ounces on a container are fluid ounces.
  if (unit === 'oz' && (item.container || food.category === 'drinks')) unit = 'fl oz';
  if (unit && MASS_GRAMS[unit] !== undefined) return { grams: MASS_GRAMS[unit]!, how: unit, certainty: 1 };
  if (unit && VOLUME_ML[unit] !== undefined) {
    const spelled: Record<string, string> = { tbsp: 'tablespoon', tsp: 'teaspoon' };
    const own =
      unit === 'fl oz'
        ? food.portions.find((p) => /^fl oz\b/i.test(p.unit))
        : (ownPortion(food, unit) ?? ownPortion(food, spelled[unit] ?? unit));
    if (own && portionMl(own) !== undefined)
      return { grams: each(own), how: `${unit} (USDA ${label(own)} = ${own.grams} g)`, certainty: 1 };
    const same = food.portions.find((p) => portionMl(p) === VOLUME_ML[unit]);
    if (same) return { grams: each(same), how: `${unit} (USDA ${label(same)} = ${same.grams} g)`, certainty: 1 };
    return byVolume(food, VOLUME_ML[unit]!, unit, 1);
  }
  // A reviewed typical serving (servings.ts) wins over the raw USDA weights for the units it stands for.
  const curated = curatedServing(food);
  const counted = !unit && !item.size && (implicit || curated?.counts);
  if (curated && (unit === 'serving' || (unit && curated.units.includes(unit)) || counted))
    return { grams: curated.grams, how: curated.how, certainty: implicit ? 0.8 : 1 };
  const factor = item.size ? SIZE_FACTOR[item.size] : 1;
  if (unit && CONTAINER_ML[unit] !== undefined) {
    const own = food.portions.find((p) => firstWord(p) === unit);
    if (own) return { grams: each(own), how: `${unit} (USDA ${label(own)} = ${own.grams} g)`, certainty: 1 };
    const ml = round1(CONTAINER_ML[unit]! * factor);
    return byVolume(food, ml, `${item.size ? `${item.size} ` : ''}${unit} taken as ${ml} ml`, 0.8);
  }
  if (unit === 'handful') {
    const g = round1(HANDFUL_GRAMS * factor);
    return { grams: g, how: `${item.size ? `${item.size} ` : ''}handful taken as ${g} g`, certainty: 0.8 };
  }
  if (unit && unit !== 'serving') {
    // Household units with a USDA weight for this food: slice, piece, stick, pat, scoop, link, strip, bar, dash...
    const words = UNIT_SYNONYMS[unit] ?? [unit];
    const own =
      words.map((w) => ownPortion(food, w)).find(Boolean) ??
      food.portions.find((p) =>
        p.unit
          .toLowerCase()
          .split(/[ ,()]+/)
          .map(singular)
          .includes(unit!),
      );
    if (own) return { grams: each(own), how: `${unit} (USDA ${label(own)} = ${round1(each(own))} g)`, certainty: 1 };
    const counted = countPortion(food, { ...item, unit: undefined }, implicit);
    return { ...counted, how: `${unit} taken as ${counted.how}`, certainty: counted.certainty * 0.8 };
  }
  if (unit === 'serving') {
    const own = ownPortion(food, 'serving') ?? food.portions.find((p) => /serving/i.test(p.unit));
    if (own) return { grams: each(own), how: `serving (USDA ${label(own)} = ${own.grams} g)`, certainty: 1 };
    return typical(food, countPortion(food, { ...item, unit: undefined }, true));
  }
  const picked = countPortion(food, item, implicit);
  // Only when no amount was given: "a cucumber" is the whole cucumber the person counted.
  return implicit ? typical(food, picked) : picked;
}

/** A default that is a whole purchase unit (a turkey, a head of cabbage) becomes the food's nearest serving. */
function typical(food: Food, picked: UnitWeight): UnitWeight {
  const nearer = nearerServing(food, picked.grams);
  return nearer ? { ...nearer, certainty: Math.min(picked.certainty, 0.8) } : picked;
}
