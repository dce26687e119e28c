import type { Nutrients } from '../../src/domain/nutrition/types';

/** A full `Nutrients` record: every nutrient zero except the ones given. */
export const n = (over: Partial<Nutrients> = {}): Nutrients => ({
  kcal: 0,
  protein_g: 0,
  fat_g: 0,
  satfat_g: 0,
  carb_g: 0,
  fiber_g: 0,
  sugar_g: 0,
  sodium_mg: 0,
  ...over,
});
