import {
  ChildWorkflowFailure,
  continueAsNew,
  isCancellation,
  log,
  ParentClosePolicy,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { InsightActivities } from '../activities/insights';
import { startOptionsOf } from '../contracts/contract';
import { weeklyInsightContract } from '../contracts/weekly-insight';
import { WEEKLY_INSIGHTS_ALL_STEPS } from '../contracts/weekly-insight.policy';
import {
  DEFAULT_FANOUT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  fanOutProgressQuery,
  type FanOutTotals,
  MAX_FANOUT_CONCURRENCY,
  MAX_PAGE_SIZE,
  type WeeklyInsightsAllInput,
} from '../contracts/weekly-insights-all';
import { previousWeekStartUtc } from '../domain/insights/time';
import { describeFailure, proxiesFor, StepTracker } from './step-runner';
import { nominalTime, weeklyInsight } from './weekly-insight';

const acts = proxiesFor<InsightActivities, keyof typeof WEEKLY_INSIGHTS_ALL_STEPS>(WEEKLY_INSIGHTS_ALL_STEPS);

/**
 * Every person's insight for one week: pages through the people with meals that week, one `weeklyInsight`
 * child each (at most `concurrency` at once), continuing as new after each full page so 100,000 people never
 * make an unbounded history. Children share the per-person workflow id, so a rerun or an overlapping manual
 * run never computes the same person twice at once.
 */
export async function weeklyInsightsAll(
  input: WeeklyInsightsAllInput = {},
): Promise<FanOutTotals & { weekStart: string }> {
  const weekStart = input.weekStart ?? previousWeekStartUtc(nominalTime());
  const pageSize = clamp(input.pageSize ?? DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const cap = clamp(input.concurrency ?? DEFAULT_FANOUT_CONCURRENCY, 1, MAX_FANOUT_CONCURRENCY);
  const totals: FanOutTotals = { ...(input.totals ?? { pages: 0, started: 0, completed: 0, failed: 0, skipped: 0 }) };
  const tracker = new StepTracker(WEEKLY_INSIGHTS_ALL_STEPS);
  let running = 0;
  setHandler(fanOutProgressQuery, () => ({
    weekStart,
    ...totals,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    running,
    steps: tracker.steps,
  }));

  const page = await tracker.required('listPeople', () =>
    acts.listPeople.listPeopleWithMeals({
      weekStart,
      ...(input.cursor ? { after: input.cursor } : {}),
      limit: pageSize,
    }),
  );
  totals.pages++;

  const runOne = async (person: { userId: string; timezone: string }) => {
    try {
      const args = { userId: person.userId, weekStart, timezone: person.timezone };
      const child = await startChild(weeklyInsight, {
        // The insight's own contract: the same id as an on-demand run of that week, so never two at once.
        ...startOptionsOf(weeklyInsightContract, args),
        args: [args],
        // Cancelling the fan-out stops its children rather than leaving them unattended.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      totals.started++;
      await child.result();
      totals.completed++;
    } catch (err) {
      // (@temporalio/workflow does not re-export the class; its name is the stable part of the contract.)
      if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError') {
        totals.skipped++;
        return;
      }
      if (isCancellation(err)) throw err;
      totals.failed++;
      // One person's failure never stops the others; their insight can be recomputed on demand.
      const cause = err instanceof ChildWorkflowFailure && err.cause ? err.cause : err;
      log.warn('weekly insight failed', { userId: person.userId, error: describeFailure(cause) });
    }
  };

  let next = 0;
  const lane = async () => {
    while (next < page.length) {
      const person = page[next++]!;
      running++;
      try {
        await runOne(person);
      } finally {
        running--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(cap, page.length) }, lane));

  if (page.length === pageSize) {
    // Every child of this page has finished, so nothing is left behind by continuing as new.
    await continueAsNew<typeof weeklyInsightsAll>({
      weekStart,
      pageSize,
      concurrency: cap,
      cursor: page[page.length - 1]!.userId,
      totals,
    });
  }
  return { weekStart, ...totals };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(min, Math.floor(n)), max);
}
