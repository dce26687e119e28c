import { sleep } from '@temporalio/workflow';
import type { ModelVersionRef } from '../contracts/model-retraining';
import { CANARY_TOLERANCE } from '../contracts/model-retraining.policy';
import { type CanaryDecision, decideCanary } from '../domain/models/canary';
import { retrainingActs as acts } from './model-retraining-steps';
import type { StepTracker } from './step-runner';

/** How many times the canary is checked within its window: early enough to roll a bad candidate back within ~1/12 of it. */
const CHECKS_PER_WINDOW = 12;

/**
 * The canary (docs/model-retraining.md): the candidate serves the configured share of photo meals while the
 * run checks its error and needs_input rates against the model in use, then promotes it to every photo or
 * rolls it back. Each check and the outcome are recorded on the run.
 */
export async function runCanary(
  tracker: StepTracker,
  record: (key: string, step: string, detail: Record<string, unknown>) => Promise<void>,
  run: { retrainingId: string; candidate: ModelVersionRef; share: number; windowMs: number; minMeals: number },
): Promise<CanaryDecision> {
  const { since } = await tracker.required('startCanary', () =>
    acts.startCanary.startModelCanary({ retrainingId: run.retrainingId, candidate: run.candidate, share: run.share }),
  );
  await record('canary-started', 'canary_started', { share: run.share, ...run.candidate });
  const every = Math.max(1000, Math.floor(run.windowMs / CHECKS_PER_WINDOW));
  const limits = { tolerance: CANARY_TOLERANCE, minSamples: run.minMeals };
  for (let check = 1; ; check++) {
    await sleep(every);
    const windowOver = check * every >= run.windowMs;
    const counts = await tracker.required('canaryCounts', () => acts.canaryCounts.modelCanaryCounts({ since }));
    const decision = decideCanary(counts.current, counts.candidate, limits, windowOver);
    if (decision.action === 'wait') continue;
    await record('canary-decided', 'canary_decided', { ...decision, check, counts });
    return decision;
  }
}
