import { z } from '@hono/zod-openapi';
import { MAINTENANCE_JOBS, MAINTENANCE_WORKFLOW_TYPES, type MaintenanceJob } from '../domain/maintenance/jobs';
import { QUEUES } from '../temporal/queues';
import { WeeklyInsightBody } from './schemas/insights';
import { EntryBody } from './schemas/journal';
import { BatchBody, StartMealBody } from './schemas/meals';
import { MAINTENANCE_POLICIES } from '../workflows/maintenance.policy';
import { DEFAULT_INPUT_TIMEOUT, MEAL_ANALYSIS_STEPS } from '../workflows/meal-analysis.policy';
import { DEFAULT_BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY } from '../workflows/meal-batch';
import { CASE_TIERS, CRISIS_CASE_STEPS, SCREENING_STEPS } from '../workflows/crisis-case.policy';
import type { StepPolicy } from '../workflows/policy';
import { WEEKLY_INSIGHT_STEPS, WEEKLY_INSIGHTS_ALL_STEPS } from '../workflows/weekly-insight.policy';
import {
  DEFAULT_FANOUT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  MAX_FANOUT_CONCURRENCY,
  MAX_PAGE_SIZE,
} from '../workflows/weekly-insights-all';

/**
 * Every workflow type the service runs: what starts it, its input (as JSON Schema) and its step policy
 * table, straight from the declarations the workflows themselves use (architecture principle 3).
 */
interface WorkflowType {
  type: string;
  description: string;
  taskQueue: string;
  startedBy: string;
  input: z.ZodType;
  /** The API request that starts it, validated by this same zod schema in its route. */
  request?: { method: string; path: string; body: z.ZodType; contentType?: string };
  steps: Record<string, StepPolicy>;
}

const MAINTENANCE_DESCRIPTIONS: Record<MaintenanceJob, string> = {
  cleanup:
    'Deletes expired idempotency records and abandoned uploads; closes meals stuck waiting for input past their limit.',
  retention:
    'Deletes meal photos and journal text past their retention period (aggregates stay) and records each deletion.',
  database: 'VACUUM (ANALYZE) of every app table, with a dead-tuple and size report.',
  'health-report': 'Runs the health checks, stores the report and publishes wellflow.ops.unhealthy when UNHEALTHY.',
};

const CATALOG: WorkflowType[] = [
  {
    type: 'mealAnalysis',
    description:
      'One meal from text and/or photo to a stored analysis with feedback; waits in needs_input when a photo cannot be recognised.',
    taskQueue: QUEUES.default,
    startedBy: 'POST /v1/meals (workflow id meal-<mealId>), or as a child of mealBatch',
    input: z.object({
      mealId: z.string().uuid(),
      userId: z.string(),
      requestId: z.string().optional(),
      inputTimeout: z.string().optional().describe(`How long needs_input waits (default ${DEFAULT_INPUT_TIMEOUT})`),
    }),
    request: { method: 'POST', path: '/v1/meals', body: StartMealBody },
    steps: MEAL_ANALYSIS_STEPS,
  },
  {
    type: 'mealBatch',
    description:
      'Runs one mealAnalysis child per meal with a concurrency cap, tolerating item failures; cancelling it cancels its children.',
    taskQueue: QUEUES.default,
    startedBy: 'POST /v1/meals/batch (workflow id meal-batch-<batchId>)',
    input: z.object({
      batchId: z.string().uuid(),
      userId: z.string(),
      mealIds: z.array(z.string().uuid()).max(500),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(MAX_BATCH_CONCURRENCY)
        .optional()
        .describe(`default ${DEFAULT_BATCH_CONCURRENCY}`),
      requestId: z.string().optional(),
    }),
    request: { method: 'POST', path: '/v1/meals/batch', body: BatchBody },
    steps: {},
  },
  {
    type: 'journalScreening',
    description:
      "Screens one journal entry for risk (rules, never diagnosis) and hands a flagged entry to the person's case.",
    taskQueue: QUEUES.critical,
    startedBy: 'POST /v1/journal-entries (workflow id journal-<entryId>, priority 1)',
    input: z.object({ entryId: z.string().uuid(), userId: z.string(), requestId: z.string().optional() }),
    request: { method: 'POST', path: '/v1/journal-entries', body: EntryBody },
    steps: SCREENING_STEPS,
  },
  {
    type: 'crisisCase',
    description:
      'One open crisis case per person: notify, wait for acknowledgement until the deadline, climb the ladder, follow up after resolution.',
    taskQueue: QUEUES.critical,
    startedBy: 'signal-with-start from journalScreening (workflow id crisis-<userId>, priority 1)',
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
    type: 'weeklyInsight',
    description: "One person's weekly insight, stored per (person, week).",
    taskQueue: QUEUES.default,
    startedBy:
      "POST /v1/insights/weekly and the weeklyInsightsAll fan-out (workflow id insights-<userId>-<weekStart>); the person's schedule (PUT /v1/me/insights-schedule, workflow id insights-user-<userId>-<time>)",
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
    type: 'weeklyInsightsAll',
    description:
      'Every person with meals in a week gets their weeklyInsight: pages of people, one child each with a concurrency cap, continue-as-new between pages.',
    taskQueue: QUEUES.default,
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
  ...MAINTENANCE_JOBS.map((job) => ({
    type: MAINTENANCE_WORKFLOW_TYPES[job],
    description: MAINTENANCE_DESCRIPTIONS[job],
    taskQueue: QUEUES.default,
    startedBy: `the maintenance-${job} schedule, or POST /v1/maintenance/${job} (workflow id maintenance-${job}-manual)`,
    input: z.object({
      requestedBy: z.string().describe('an admin id, or the schedule'),
      requestId: z.string().optional(),
    }),
    steps: MAINTENANCE_POLICIES[MAINTENANCE_WORKFLOW_TYPES[job]] as Record<string, StepPolicy>,
  })),
];

export function workflowTypes() {
  return CATALOG.map((w) => ({
    type: w.type,
    description: w.description,
    taskQueue: w.taskQueue,
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
  const steps = CATALOG.find((w) => w.type === workflowType)?.steps ?? {};
  const byActivity = new Map(Object.entries(steps).map(([name, p]) => [p.activity, name]));
  return (activityType) => byActivity.get(activityType) ?? activityType;
}
