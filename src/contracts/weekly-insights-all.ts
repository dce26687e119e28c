import { defineProgressQuery, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

export interface FanOutTotals {
  pages: number;
  started: number;
  completed: number;
  failed: number;
  /** The person's own run for the same week was already running; it stores the insight. */
  skipped: number;
}

export interface WeeklyInsightsAllInput {
  /** The Monday of the week; omitted by the schedule: the last complete week before the nominal time. */
  weekStart?: string;
  /** People per page (and per run before continuing as new). */
  pageSize?: number;
  /** Children running at once. */
  concurrency?: number;
  /** Carried across continue-as-new: the last user id already done, and the running totals. */
  cursor?: string;
  totals?: FanOutTotals;
}

export interface FanOutProgress extends FanOutTotals {
  weekStart: string;
  cursor?: string;
  running: number;
  steps: StepProgress[];
}

export const fanOutProgressQuery = defineProgressQuery<FanOutProgress>();

/**
 * Why 500 per page: each child adds ~6 events to this run's history, so a page stays near 3,000 events,
 * far under Temporal's 50k-event limit and its 10k warning, and a run's replay stays fast. Why 20 at
 * once: each child is one short database-bound activity; 20 keeps the default queue busy without crowding
 * out the meal analyses people are waiting on (insights can wait a few minutes, a meal should not).
 */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 1_000;
export const DEFAULT_FANOUT_CONCURRENCY = 20;
export const MAX_FANOUT_CONCURRENCY = 100;

/**
 * Started by the `weekly-insights` system schedule (whose id prefixes the runs' ids); a manual run is
 * `weekly-insights-manual-<weekStart>`, one per week, so two manual runs of a week never overlap.
 */
/** The workflow type, as schedule declarations (data) name it. */
export const WEEKLY_INSIGHTS_ALL = 'weeklyInsightsAll';

export const weeklyInsightsAllContract: WorkflowContract<WeeklyInsightsAllInput & { weekStart: string }> = {
  workflowType: WEEKLY_INSIGHTS_ALL,
  taskQueue: 'default',
  workflowId: (input) => `weekly-insights-manual-${input.weekStart}`,
  searchAttributes: () => [],
};
