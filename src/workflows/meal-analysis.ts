import type { MealAnalysisInput, MealAnalysisResult } from '../contracts/meal-analysis';
import { MealRun } from './meal-analysis-run';

/**
 * A meal from text and/or photo to a stored analysis. Only ids travel in the input; `load` reads the meal,
 * and every payload (descriptions, estimates) is encrypted by the codec.
 * text → estimate; photo → preprocess → recognize (model server) → estimate; a photo that cannot be
 * recognised waits durably for the person's description (needs_input) → estimate; then feedback, record,
 * close (which queues `meal.analyzed` in the outcome's transaction). A failure or a cancel still writes (and
 * announces) the meal's outcome (meal-analysis-run.ts, `fail`).
 */
export async function mealAnalysis(input: MealAnalysisInput): Promise<MealAnalysisResult> {
  const run = new MealRun(input);
  run.installHandlers();
  run.begin();
  try {
    return await run.analyse(await run.understand());
  } catch (err) {
    throw await run.fail(err);
  }
}
