import { defineProgressQuery, ownedBy, type WorkflowContract } from './contract';
import type { StepProgress } from './steps';

export interface WeeklyInsightInput {
  userId: string;
  /** YYYY-MM-DD, a Monday in `timezone`. Omitted by a person's schedule: then the last complete week. */
  weekStart?: string;
  timezone: string;
}

export interface WeekRequest {
  userId: string;
  timezone: string;
  /** The Monday to compute; without it, the last complete week before `asOf`. */
  weekStart?: string;
  /** ISO instant (the schedule's nominal time) that a weekStart-less request is relative to. */
  asOf?: string;
}

export interface WeekResult {
  insightId: string;
  weekStart: string;
  meals: number;
}

export const insightProgressQuery = defineProgressQuery<{ steps: StepProgress[]; warnings: string[] }>();

/** The business status a weekly insight run reports in `WellflowStatus`, set at start and at the end. */
export type InsightRunStatus = 'running' | 'completed' | 'failed';

/**
 * `insights-<userId>-<weekStart>`: one run per person and week. The on-demand start and the fan-out's child
 * share it, so the same week is never computed twice at once (the second start finds the first running).
 */
export const insightWorkflowId = (userId: string, weekStart: string) => `insights-${userId}-${weekStart}`;

/**
 * `insights-user-<userId>`: the person's own Temporal Schedule, and the id prefix of the runs it starts
 * (Temporal appends the nominal time), so a scheduled run never collides with an on-demand one.
 */
export const insightScheduleId = (userId: string) => `insights-user-${userId}`;

export const weeklyInsightContract: WorkflowContract<WeeklyInsightInput & { weekStart: string }> = {
  workflowType: 'weeklyInsight',
  taskQueue: 'default',
  workflowId: (input) => insightWorkflowId(input.userId, input.weekStart),
  searchAttributes: (input) => ownedBy(input.userId, 'running' satisfies InsightRunStatus),
};
