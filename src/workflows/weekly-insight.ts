import { patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { InsightActivities } from '../activities/insights';
import { StatusKey } from '../contracts/search-attributes';
import {
  insightProgressQuery,
  type InsightRunStatus,
  type WeeklyInsightInput,
  type WeekResult,
} from '../contracts/weekly-insight';
import { WEEKLY_INSIGHT_STEPS } from '../contracts/weekly-insight.policy';
import { proxiesFor, StepTracker } from './step-runner';

const acts = proxiesFor<InsightActivities, keyof typeof WEEKLY_INSIGHT_STEPS>(WEEKLY_INSIGHT_STEPS);

/**
 * The time a run stands for: a schedule's nominal time (so a backfilled or late run covers the week it was
 * meant for, not the week it happens to start in), else the workflow's own start time.
 */
export function nominalTime(): number {
  const scheduled = workflowInfo().typedSearchAttributes.get({ name: 'TemporalScheduledStartTime', type: 'DATETIME' });
  return (scheduled ?? new Date(workflowInfo().runStartTime)).getTime();
}

/**
 * One person's insight for one week (`insights-<userId>-<weekStart>`); rerunning replaces the stored one.
 * compute (required) → publish `wellflow.insight.generated` (optional: the insight is already stored, so a
 * NATS outage only leaves a warning in the progress query; the run still returns the stored week).
 */
export async function weeklyInsight(input: WeeklyInsightInput): Promise<WeekResult> {
  const tracker = new StepTracker(WEEKLY_INSIGHT_STEPS);
  setHandler(insightProgressQuery, () => ({ steps: tracker.steps, warnings: tracker.warnings }));
  const request = input.weekStart ? input : { ...input, asOf: new Date(nominalTime()).toISOString() };
  // patched(): runs started before the status was reported at the end replay without these upserts.
  const reportStatus = patched('insight-final-status');
  const setStatus = (status: InsightRunStatus) => {
    if (reportStatus) upsertSearchAttributes([{ key: StatusKey, value: status }]);
  };
  let result: WeekResult;
  try {
    result = await tracker.required('compute', () => acts.compute.computeWeeklyInsightFor(request));
  } catch (err) {
    tracker.skipRemaining();
    setStatus('failed');
    throw err;
  }
  await tracker.optional('publish', () => acts.publish.publishInsightEvent({ ...result, userId: input.userId }));
  // The starter set `running`; a finished run must not keep reading `running` in visibility.
  setStatus('completed');
  return result;
}
