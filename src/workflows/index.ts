// Workflow bundle entry: every workflow type the workers serve. Only deterministic orchestration lives here.
export { mealAnalysis } from './meal-analysis';
export { mealBatch } from './meal-batch';
export { mealCorrection } from './meal-correction';
export { crisisCase } from './crisis-case';
export { journalScreening } from './journal-screening';
export { journalRescreen } from './journal-rescreen';
export { weeklyInsight } from './weekly-insight';
export { weeklyInsightsAll } from './weekly-insights-all';
export { taskExecution } from './task-execution';
export { accountExport } from './account-export';
export { accountErasure } from './account-erasure';
export { modelRetraining } from './model-retraining';
export * from './maintenance';
