import { type Nutrients, zeroNutrients } from '../../src/domain/nutrition/types';

/** A full `Nutrients` record: every nutrient zero except the ones given. */
export const n = (over: Partial<Nutrients> = {}): Nutrients => ({ ...zeroNutrients(), ...over });
