import { type Client, type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import { mealProgressQuery } from '../../contracts/meal-analysis';
import type { StepProgress } from '../../contracts/steps';
import type { MealRepository, MealRow } from '../../db/repositories/meals';
import { isTerminalMealStatus, type MealOutcome, type MealStatus } from '../../domain/meals/vocabulary';
import { withLiveAttempts } from '../../temporal/step-attempts';
import { queryWithin, withTemporalDeadline } from '../../temporal/workflow-client';

/** A meal's status as the API shows it: live from Temporal while its run is open, its written outcome after. */
export interface LiveStatus {
  status: MealStatus;
  steps: StepProgress[];
  warnings: string[];
  /** What the meal is asking, while it waits in needs_input. */
  question?: string;
  /** The failure reason, when it was read after the row passed in (see `status`). */
  error?: string;
}

/** The outcome and steps the meal's close step wrote (text and jsonb columns). */
const writtenOutcome = (meal: MealRow) => meal.outcome as MealOutcome | null;
const writtenSteps = (meal: MealRow) => (meal.steps as StepProgress[] | null) ?? [];

export function createMealStatusReader(temporal: Client, meals: MealRepository) {
  /** The meal's written outcome, read again (the row a caller holds may predate it). */
  async function recorded(mealId: string): Promise<LiveStatus | undefined> {
    const fresh = await meals.get(mealId);
    const outcome = fresh && writtenOutcome(fresh);
    if (!fresh || !outcome) return undefined;
    return {
      status: outcome,
      steps: writtenSteps(fresh),
      warnings: [],
      ...(outcome === 'failed' && fresh.outcomeReason ? { error: fresh.outcomeReason } : {}),
    };
  }

  /** An open run: its progress query, with the live attempt and last error of a step being retried right now. */
  async function running(meal: MealRow, desc: WorkflowExecutionDescription): Promise<LiveStatus> {
    const progress = await queryWithin(temporal, meal.workflowId, mealProgressQuery);
    const pending = (desc.raw.pendingActivities ?? []).map((p) => ({
      activityType: p.activityType?.name ?? undefined,
      attempt: p.attempt ?? 1,
      lastFailure: p.lastFailure ? { message: p.lastFailure.message ?? undefined } : undefined,
    }));
    const live: LiveStatus = {
      status: progress?.status ?? 'queued',
      steps: withLiveAttempts(progress?.steps ?? [], pending),
      warnings: progress?.warnings ?? [],
      ...(progress?.question ? { question: progress.question } : {}),
    };
    // A run that reports an outcome has written it (close comes first): show the written one.
    return isTerminalMealStatus(live.status) ? ((await recorded(meal.id)) ?? live) : live;
  }

  /** Live status from Temporal while the run is open; the meal's recorded outcome once it has one. */
  return async function status(meal: MealRow): Promise<LiveStatus> {
    const outcome = writtenOutcome(meal);
    if (outcome) return { status: outcome, steps: writtenSteps(meal), warnings: [] };
    try {
      const desc = await withTemporalDeadline(temporal, () => temporal.workflow.getHandle(meal.workflowId).describe());
      if (desc.status.name === 'RUNNING') return await running(meal, desc);
      // The run ended after the row was read: its close step wrote the outcome in between.
      // Otherwise it closed without writing one (terminated by an operator, or timed out).
      return (
        (await recorded(meal.id)) ?? {
          status: desc.status.name === 'CANCELLED' ? 'cancelled' : 'failed',
          steps: [],
          warnings: [],
        }
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'queued', steps: [], warnings: [] };
      throw err;
    }
  };
}
