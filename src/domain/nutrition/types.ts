/** Nutrient amounts; per 100 g in the food table, absolute in items and totals. */
export interface Nutrients {
  kcal: number;
  protein_g: number;
  fat_g: number;
  satfat_g: number;
  carb_g: number;
  fiber_g: number;
  sugar_g: number;
  sodium_mg: number;
}

export const NUTRIENT_KEYS = [
  'kcal',
  'protein_g',
  'fat_g',
  'satfat_g',
  'carb_g',
  'fiber_g',
  'sugar_g',
  'sodium_mg',
] as const;

export const zeroNutrients = (): Nutrients => ({
  kcal: 0,
  protein_g: 0,
  fat_g: 0,
  satfat_g: 0,
  carb_g: 0,
  fiber_g: 0,
  sugar_g: 0,
  sodium_mg: 0,
});

export interface Portion {
  amount: number;
  unit: string;
  grams: number;
}

export interface Food {
  id: string;
  name: string;
  aliases: string[];
  category: string;
  usdaName: string;
  /** USDA leaves some nutrients blank for some foods: null means "not measured", not zero. */
  per100g: { [K in keyof Nutrients]: number | null };
  portions: Portion[];
}

/** Categories the generator assigns (from the USDA food group and keywords); every one has foods. */
export const FOOD_CATEGORIES = [
  'dairy',
  'eggs',
  'spices',
  'fats',
  'sauces',
  'soups',
  'meat',
  'fish',
  'cereals',
  'grains',
  'breads',
  'fruit',
  'vegetables',
  'legumes',
  'nuts',
  'drinks',
  'sweets',
  'snacks',
  'fast food',
  'dishes',
] as const;
export type FoodCategory = (typeof FOOD_CATEGORIES)[number];

/** A dish SR28 has no single entry for, written as meal text ("2 cups romaine lettuce, 2 tbsp caesar dressing"). */
export interface CompositeDish {
  name: string;
  aliases: string[];
  text: string;
}

export interface FoodTable {
  /** The USDA citation. */
  source: string;
  version: string;
  generatedBy?: string;
  /** Spelling variants folded into one key ("yoghurt" → "yogurt"), shared by the generator and the matcher. */
  spelling?: Record<string, string>;
  foods: Food[];
  dishes?: CompositeDish[];
}

/** One piece of meal text, read but not yet matched to a food. */
export interface ParsedItem {
  text: string;
  quantity: number;
  /** Canonical unit (g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl oz, slice, piece, can, glass, bowl, serving, handful, stick, pat...). */
  unit?: string;
  size?: 'small' | 'medium' | 'large';
  name: string;
  /** A container named after a measure ("a 12 oz can of coke"): the measure is the amount, the container only says how it came. */
  container?: string;
}

export interface EstimatedItem {
  text: string;
  foodId: string | null;
  name: string | null;
  grams: number;
  /** 0..1: how sure the match and the amount are. */
  confidence: number;
  recognized: boolean;
  /** The assumption behind `grams`, e.g. "1 medium banana = 118 g". */
  assumption: string;
  nutrients: Nutrients;
  /** The food's category (or "dishes" for a composite dish); absent when not recognised. */
  category?: string;
  /** For a composite dish: the parts it was estimated from. */
  components?: Array<{ foodId: string; name: string; grams: number }>;
}

export interface MealEstimate {
  items: EstimatedItem[];
  totals: Nutrients;
  /** 0..1, the kcal-weighted mean of item confidences; an unrecognised item weighs as much as an average item. */
  confidence: number;
  warnings: string[];
  foodTableVersion: string;
  /** Texts of the items that matched no food (also visible in `items` with recognized: false). */
  unrecognized?: string[];
}
