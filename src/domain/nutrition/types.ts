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

export const NUTRIENT_KEYS = ['kcal', 'protein_g', 'fat_g', 'satfat_g', 'carb_g', 'fiber_g', 'sugar_g', 'sodium_mg'] as const;

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

export interface FoodTable {
  source: string;
  version: string;
  foods: Food[];
}

/** One piece of meal text, read but not yet matched to a food. */
export interface ParsedItem {
  text: string;
  quantity: number;
  /** Canonical unit (g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl oz, slice, piece, can, glass, bowl, serving, handful). */
  unit?: string;
  size?: 'small' | 'medium' | 'large';
  name: string;
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
}

export interface MealEstimate {
  items: EstimatedItem[];
  totals: Nutrients;
  confidence: number;
  warnings: string[];
  foodTableVersion: string;
}
