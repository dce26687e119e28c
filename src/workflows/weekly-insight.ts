import { defineQuery, setHandler } from '@temporalio/workflow';
import type { InsightActivities } from '../activities/insights';
import type { StepProgress } from './policy';
import { proxiesFor, StepTracker } from './step-runner';
import { WEEKLY_INSIGHT_STEPS } from './weekly-insight.policy';

export interface WeeklyInsightInput {
  userId: string;
  /** YYYY-MM-DD, a Monday in `timezone`. */
  weekStart: string;
  timezone: string;
}

export const insightProgressQuery = defineQuery<{ steps: StepProgress[] }>('progress');
const acts = proxiesFor<InsightActivities, keyof typeof WEEKLY_INSIGHT_STEPS>(WEEKLY_INSIGHT_STEPS);

/** One person's insight for one week (`insights-<userId>-<weekStart>`); rerunning replaces the stored one. */
export async function weeklyInsight(input: WeeklyInsightInput): Promise<{ insightId: string; meals: number }> {
  const tracker = new StepTracker(WEEKLY_INSIGHT_STEPS);
  setHandler(insightProgressQuery, () => ({ steps: tracker.steps }));
  return tracker.required('compute', () => acts.compute.computeWeeklyInsightFor(input));
}
