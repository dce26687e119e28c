import { accountErasureContract } from './account-erasure';
import { accountExportContract } from './account-export';
import type { WorkflowContract } from './contract';
import { crisisCaseContract } from './crisis-case';
import { journalRescreenContract } from './journal-rescreen';
import { journalScreeningContract } from './journal-screening';
import { MAINTENANCE_CONTRACTS } from './maintenance';
import { mealAnalysisContract } from './meal-analysis';
import { mealBatchContract } from './meal-batch';
import { mealCorrectionContract } from './meal-correction';
import { modelRetrainingContract } from './model-retraining';
import type { QueueName } from './queues';
import { taskExecutionContract } from './task-execution';
import { weeklyInsightContract } from './weekly-insight';
import { weeklyInsightsAllContract } from './weekly-insights-all';

/**
 * Every workflow type's contract, by Temporal workflow type. `tests/unit/contracts-per-workflow.test.ts`
 * checks that each workflow the bundle exports has exactly one contract here, under its own function name.
 */
export const WORKFLOW_CONTRACTS: ReadonlyMap<string, WorkflowContract<never>> = new Map(
  [
    mealAnalysisContract,
    mealBatchContract,
    mealCorrectionContract,
    journalScreeningContract,
    journalRescreenContract,
    crisisCaseContract,
    weeklyInsightContract,
    weeklyInsightsAllContract,
    taskExecutionContract,
    accountExportContract,
    accountErasureContract,
    modelRetrainingContract,
    ...Object.values(MAINTENANCE_CONTRACTS),
  ].map((c) => [c.workflowType, c as WorkflowContract<never>]),
);

/**
 * The task queues some workflow runs on. A queue outside it (today `heavy`) carries only activities, so its
 * worker loads no workflow bundle: no workflow thread, no V8 isolate of its own (~50 MB of RSS each).
 */
export const WORKFLOW_QUEUES: ReadonlySet<QueueName> = new Set(
  [...WORKFLOW_CONTRACTS.values()].map((c) => c.taskQueue),
);

/** Workflow types only staff and admins may see (each contract's `staffOnly`). */
export const STAFF_ONLY_WORKFLOW_TYPES: readonly string[] = [...WORKFLOW_CONTRACTS.values()]
  .filter((c) => c.staffOnly)
  .map((c) => c.workflowType);
