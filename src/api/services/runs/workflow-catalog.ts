import { z } from '@hono/zod-openapi';
import type { WorkflowContract } from '../../../contracts/contract';
import { CRISIS_CASE_STEPS, SCREENING_STEPS } from '../../../contracts/crisis-case.policy';
import { caseWorkflowId, crisisCaseContract } from '../../../contracts/crisis-case';
import {
  DEFAULT_RESCREEN_PAGE_SIZE,
  journalRescreenContract,
  MAX_RESCREEN_PAGE_SIZE,
  RESCREEN_MAX_DAYS,
  RESCREEN_MIN_DAYS,
  RESCREEN_PAGES_PER_RUN,
  rescreenWorkflowId,
} from '../../../contracts/journal-rescreen';
import { RESCREEN_STEPS } from '../../../contracts/journal-rescreen.policy';
import { journalScreeningContract, journalWorkflowId } from '../../../contracts/journal-screening';
import {
  MAINTENANCE_CONTRACTS,
  MAINTENANCE_WORKFLOW_TYPES,
  manualMaintenanceWorkflowId,
} from '../../../contracts/maintenance';
import { MAINTENANCE_POLICIES } from '../../../contracts/maintenance.policy';
import { mealAnalysisContract, mealWorkflowId } from '../../../contracts/meal-analysis';
import {
  DEFAULT_INPUT_TIMEOUT,
  MEAL_ANALYSIS_STEPS,
  MEAL_STEPS_WITH_PUBLISH,
} from '../../../contracts/meal-analysis.policy';
import { batchWorkflowId, mealBatchContract } from '../../../contracts/meal-batch';
import { mealCorrectionContract, mealCorrectionWorkflowId } from '../../../contracts/meal-correction';
import { MEAL_CORRECTION_STEPS } from '../../../contracts/meal-correction.policy';
import { CorrectItemsBody } from '../../schemas/meal-corrections';
import { QUEUES } from '../../../contracts/queues';
import type { StepPolicy } from '../../../contracts/steps';
import { insightScheduleId, insightWorkflowId, weeklyInsightContract } from '../../../contracts/weekly-insight';
import { WEEKLY_INSIGHT_STEPS, WEEKLY_INSIGHTS_ALL_STEPS } from '../../../contracts/weekly-insight.policy';
import { manualTaskRunId, taskExecutionContract, taskScheduleId } from '../../../contracts/task-execution';
import { TASK_EXECUTION_STEPS } from '../../../contracts/task-execution.policy';
import { accountExportContract, accountExportWorkflowId } from '../../../contracts/account-export';
import { ACCOUNT_EXPORT_STEPS } from '../../../contracts/account-export.policy';
import { accountErasureContract, accountErasureWorkflowId } from '../../../contracts/account-erasure';
import { ACCOUNT_ERASURE_STEPS } from '../../../contracts/account-erasure.policy';
import { ERASURE_TRIGGERS } from '../../../domain/account/erasure';
import { modelRetrainingContract, modelRetrainingWorkflowId } from '../../../contracts/model-retraining';
import { MODEL_RETRAINING_STEPS } from '../../../contracts/model-retraining.policy';
import { EXECUTION_TRIGGERS } from '../../../domain/routines/vocabulary';
import {
  DEFAULT_FANOUT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  MAX_FANOUT_CONCURRENCY,
  MAX_PAGE_SIZE,
  weeklyInsightsAllContract,
} from '../../../contracts/weekly-insights-all';
import { CASE_TIERS } from '../../../domain/crisis/types';
import { MAINTENANCE_JOBS, type MaintenanceJob } from '../../../domain/maintenance/jobs';
import { RescreenBody } from '../../schemas/crisis';
import { WeeklyInsightBody } from '../../schemas/insights';
import { EntryBody } from '../../schemas/journal';
import { BatchBody, BatchConcurrency, StartMealBody } from '../../schemas/meals';

/**
 * Every workflow type the service runs: what starts it, its input (as JSON Schema) and its step policy
 * table, straight from the contracts and policy tables the workflows themselves use (docs/architecture.md,
 * principles 3 and 8).
 */
interface WorkflowType {
  contract: WorkflowContract<never>;
  description: string;
  startedBy: string;
  input: z.ZodType;
  /** The API request that starts it, validated by this same zod schema in its route. */
  request?: { method: string; path: string; body: z.ZodType; contentType?: string };
  steps: Record<string, StepPolicy>;
  /** Steps only runs started before a patch still take: not listed, but the run event stream names them. */
  formerSteps?: Record<string, StepPolicy>;
}

const MAINTENANCE_DESCRIPTIONS: Record<MaintenanceJob, string> = {
  cleanup:
    'Deletes expired idempotency records, abandoned uploads and account export archives past their 24 h; closes meals stuck waiting for input past their limit.',
  retention:
    'Deletes meal photos and journal text past their retention period (aggregates stay) and records each deletion.',
  database: 'VACUUM (ANALYZE) of every app table, with a dead-tuple and size report.',
  'health-report': 'Runs the health checks, stores the report and publishes wellflow.ops.unhealthy when UNHEALTHY.',
};

const CATALOG: WorkflowType[] = [
  {
    contract: mealAnalysisContract,
    description:
      'One meal from text and/or photo to a stored analysis with feedback; waits in needs_input when a photo cannot be recognised.',
    startedBy: `POST /v1/meals (workflow id ${mealWorkflowId('<mealId>')}), or as a child of ${mealBatchContract.workflowType}`,
    input: z.object({
      mealId: z.string().uuid(),
      userId: z.string(),
      inputTimeout: z.string().optional().describe(`How long needs_input waits (default ${DEFAULT_INPUT_TIMEOUT})`),
    }),
    request: { method: 'POST', path: '/v1/meals', body: StartMealBody },
    steps: MEAL_ANALYSIS_STEPS,
    formerSteps: MEAL_STEPS_WITH_PUBLISH,
  },
  {
    contract: mealBatchContract,
    description:
      'Runs one mealAnalysis child per meal with a concurrency cap, tolerating item failures; cancelling it cancels its children.',
    startedBy: `POST /v1/meals/batch (workflow id ${batchWorkflowId('<batchId>')})`,
    input: z.object({
      batchId: z.string().uuid(),
      userId: z.string(),
      mealIds: z.array(z.string().uuid()).max(500),
      concurrency: BatchConcurrency,
    }),
    request: { method: 'POST', path: '/v1/meals/batch', body: BatchBody },
    steps: {},
  },
  {
    contract: mealCorrectionContract,
    description:
      "One correction of an analysed meal's items: estimate them, feedback, then keep the replaced analysis, store the corrected one and mark the week's insight stale.",
    startedBy: `PATCH /v1/meals/{mealId}/items (workflow id ${mealCorrectionWorkflowId('<mealId>', '<revision>')})`,
    input: z.object({ mealId: z.string().uuid(), userId: z.string(), revision: z.number().int().min(1) }),
    request: { method: 'PATCH', path: '/v1/meals/{mealId}/items', body: CorrectItemsBody },
    steps: MEAL_CORRECTION_STEPS,
  },
  {
    contract: journalScreeningContract,
    description:
      "Screens one journal entry for risk (rules, never diagnosis) and hands a flagged entry to the person's case.",
    startedBy: `POST /v1/journal-entries (workflow id ${journalWorkflowId('<entryId>')}, priority 1)`,
    input: z.object({ entryId: z.string().uuid(), userId: z.string() }),
    request: { method: 'POST', path: '/v1/journal-entries', body: EntryBody },
    steps: SCREENING_STEPS,
  },
  {
    contract: crisisCaseContract,
    description:
      'One open crisis case per person: notify, wait for acknowledgement until the deadline, climb the ladder, follow up after resolution.',
    startedBy: `signal-with-start from ${journalScreeningContract.workflowType} (workflow id ${caseWorkflowId('<userId>')}, priority 1)`,
    input: z.object({
      caseId: z.string().uuid(),
      userId: z.string(),
      tier: z.enum(CASE_TIERS),
      entryId: z.string().uuid(),
      policy: z.record(z.string(), z.unknown()),
      timeScale: z.number(),
    }),
    steps: CRISIS_CASE_STEPS,
  },
  {
    contract: journalRescreenContract,
    description: `Re-screens the journal entries of the last N days that are not yet at the current screener version, in pages (continue-as-new every ${RESCREEN_PAGES_PER_RUN}); stores the new screening beside the one it replaces and opens or joins the person's case where the tier rose. Never screens an entry twice for the same version.`,
    startedBy: `POST /v1/crisis/rescreens, staff (workflow id ${rescreenWorkflowId('<screenerVersion>')}, priority 1)`,
    input: z.object({
      days: z.number().int().min(RESCREEN_MIN_DAYS).max(RESCREEN_MAX_DAYS),
      requestedBy: z.string().describe('the staff member who asked'),
      pageSize: z
        .number()
        .int()
        .min(1)
        .max(MAX_RESCREEN_PAGE_SIZE)
        .optional()
        .describe(`default ${DEFAULT_RESCREEN_PAGE_SIZE}`),
      screenerVersion: z.string().describe('the version the run screens with; it names the run'),
    }),
    request: { method: 'POST', path: '/v1/crisis/rescreens', body: RescreenBody },
    steps: RESCREEN_STEPS,
  },
  {
    contract: weeklyInsightContract,
    description: "One person's weekly insight, stored per (person, week).",
    startedBy: `POST /v1/insights/weekly and the ${weeklyInsightsAllContract.workflowType} fan-out (workflow id ${insightWorkflowId('<userId>', '<weekStart>')}); the person's schedule (PUT /v1/me/insights-schedule, workflow id ${insightScheduleId('<userId>')}-<time>)`,
    input: z.object({
      userId: z.string(),
      weekStart: z
        .string()
        .optional()
        .describe('a Monday; omitted by schedules: the last complete week before the nominal time'),
      timezone: z.string(),
    }),
    request: { method: 'POST', path: '/v1/insights/weekly', body: WeeklyInsightBody },
    steps: WEEKLY_INSIGHT_STEPS,
  },
  {
    contract: weeklyInsightsAllContract,
    description:
      'Every person with meals in a week gets their weeklyInsight: pages of people, one child each with a concurrency cap, continue-as-new between pages.',
    startedBy: 'the weekly-insights schedule (GET /v1/schedules/weekly-insights), or a trigger/backfill of it',
    input: z.object({
      weekStart: z
        .string()
        .optional()
        .describe('a Monday; default: the last complete week (UTC) before the nominal time'),
      pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`default ${DEFAULT_PAGE_SIZE}`),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(MAX_FANOUT_CONCURRENCY)
        .optional()
        .describe(`default ${DEFAULT_FANOUT_CONCURRENCY}`),
    }),
    steps: WEEKLY_INSIGHTS_ALL_STEPS,
  },
  {
    contract: taskExecutionContract,
    description:
      'One occurrence of a personal routine task: deliver to the inbox, wait for done / snooze / skip (an update) within the task window, record the outcome, counters and streak.',
    startedBy: `the task's schedule (workflow id ${taskScheduleId('<taskId>')}-<time>), or POST /v1/tasks/{id}/execute (workflow id ${manualTaskRunId('<taskId>', '<key>')})`,
    input: z.object({
      taskId: z.string(),
      userId: z.string(),
      trigger: z.enum(EXECUTION_TRIGGERS),
      runKey: z.string().optional().describe('manual runs: the Idempotency-Key or a fresh id'),
    }),
    steps: TASK_EXECUTION_STEPS,
  },
  {
    contract: accountExportContract,
    description:
      "One account export: the person's data as JSON (journal text decrypted), their photos and insight charts, streamed into one .tar.gz with a README; downloadable for 24 h with one-time links.",
    startedBy: `POST /v1/me/export (workflow id ${accountExportWorkflowId('<exportId>')}; one running export per person)`,
    input: z.object({ exportId: z.string().uuid(), userId: z.string() }),
    steps: ACCOUNT_EXPORT_STEPS,
  },
  {
    contract: accountErasureContract,
    description:
      "One person's erasure: mark erased (410 for their token), cancel their runs, delete schedules, rows, photos not shared by hash and export archives page by page, keep crisis cases for the clinical record (staff notified), delete closed histories, publish user.erased, keep a receipt.",
    startedBy: `DELETE /v1/me, POST /v1/admin/users/{id}/erase or the user.deleted event (workflow id ${accountErasureWorkflowId('<userId>')}; once per person)`,
    input: z.object({ userId: z.string(), trigger: z.enum(ERASURE_TRIGGERS) }),
    steps: ACCOUNT_ERASURE_STEPS,
  },
  {
    contract: modelRetrainingContract,
    description:
      "One model retraining: snapshot the corrected photos and the evaluation set, train (submitted once, waited for on the heavy queue), evaluate against the model in use, gate, an admin's approval, canary, promote or roll back.",
    startedBy: `POST /v1/admin/model-retrainings (workflow id ${modelRetrainingWorkflowId('<uuid>')}), or the model-retraining-monthly schedule`,
    input: z.object({
      requestedBy: z.string().describe('an admin id, or schedule'),
      retrainingId: z.string().uuid().optional(),
    }),
    steps: MODEL_RETRAINING_STEPS,
  },
  ...MAINTENANCE_JOBS.map((job) => ({
    contract: MAINTENANCE_CONTRACTS[job],
    description: MAINTENANCE_DESCRIPTIONS[job],
    startedBy: `the maintenance-${job} schedule, or POST /v1/maintenance/${job} (workflow id ${manualMaintenanceWorkflowId(job)})`,
    input: z.object({ requestedBy: z.string().describe('an admin id, or the schedule') }),
    steps: MAINTENANCE_POLICIES[MAINTENANCE_WORKFLOW_TYPES[job]],
  })),
];

export function workflowTypes() {
  return CATALOG.map((w) => ({
    type: w.contract.workflowType,
    description: w.description,
    taskQueue: QUEUES[w.contract.taskQueue],
    startedBy: w.startedBy,
    inputSchema: z.toJSONSchema(w.input),
    // The request body as clients send it (io: 'input'), from the very schema the route validates with.
    ...(w.request
      ? {
          request: {
            method: w.request.method,
            path: w.request.path,
            bodySchema: z.toJSONSchema(w.request.body, { io: 'input', unrepresentable: 'any' }),
          },
        }
      : {}),
    steps: Object.entries(w.steps).map(([name, p]) => ({ name, ...p })),
  }));
}

/** activity type → step name for one workflow type (its policy table), for the run event stream. */
export function stepResolver(workflowType: string): (activityType: string) => string {
  const type = CATALOG.find((w) => w.contract.workflowType === workflowType);
  const steps = { ...type?.formerSteps, ...type?.steps };
  const byActivity = new Map(Object.entries(steps).map(([name, p]) => [p.activity, name]));
  return (activityType) => byActivity.get(activityType) ?? activityType;
}
