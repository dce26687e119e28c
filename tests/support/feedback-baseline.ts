import { expect } from 'vitest';
import { evaluateMealFeedback, type FeedbackMessage, type MealFeedbackInput } from '../../src/domain/feedback';
import type { Nutrients } from '../../src/domain/nutrition/types';
import { n } from './nutrients';

// The quiet meal the feedback rule tests start from, and helpers that run the rules on it with one change.

/**
 * A 600 kcal lunch that sits inside every threshold (reference adult: 2,000 kcal, lunch share 30 %), so each
 * test moves one number across one boundary. Sodium 300 mg is between the FDA 5 % (115) and 20 % (460) marks.
 */
export const quiet = n({
  kcal: 600,
  protein_g: 10,
  fat_g: 15,
  satfat_g: 3,
  carb_g: 80,
  fiber_g: 3,
  sugar_g: 5,
  sodium_mg: 300,
});

export const run = (input: Partial<MealFeedbackInput> & { meal?: Partial<Nutrients> }) => {
  const { meal, ...rest } = input;
  return evaluateMealFeedback({ mealType: 'lunch', ...rest, totals: { ...quiet, ...meal } });
};
export const codes = (input: Parameters<typeof run>[0]) => run(input).messages.map((m) => m.code);
export const msg = (input: Parameters<typeof run>[0], code: string): FeedbackMessage | undefined =>
  run(input).messages.find((m) => m.code === code);

/** Asserts `code` is absent at `atLimit` and present at `over`, for the given profile. */
export function boundary(
  code: string,
  guidelineProfileId: MealFeedbackInput['guidelineProfileId'],
  atLimit: Partial<Nutrients>,
  over: Partial<Nutrients>,
  extra: Partial<MealFeedbackInput> = {},
) {
  expect(codes({ guidelineProfileId, meal: atLimit, ...extra }), `${code} at ${JSON.stringify(atLimit)}`).not.toContain(
    code,
  );
  expect(codes({ guidelineProfileId, meal: over, ...extra }), `${code} at ${JSON.stringify(over)}`).toContain(code);
}
