// Workflow bundle entry: every workflow type the workers serve. Only deterministic orchestration lives here.
export { mealAnalysis } from './meal-analysis';
export { mealBatch } from './meal-batch';
