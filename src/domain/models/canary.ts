/**
 * The canary decision (docs/model-retraining.md): while a share of photo meals goes to the candidate, compare
 * its error and needs_input rates with the current model's over the same window. Pure.
 */
export interface RouteCounts {
  /** Photo meals recognised on this route since the canary began. */
  total: number;
  /** Recognise calls the model server failed (the meal then fell back to the current model). */
  errors: number;
  /** Photos the model found no food in: the person had to say what they ate. */
  needsInput: number;
}

export interface CanaryLimits {
  /** How far above the current model's rate (absolute share) the candidate's may go. */
  tolerance: number;
  /** Below this many candidate meals a rate says nothing yet. */
  minSamples: number;
}

export type CanaryDecision = { action: 'wait' } | { action: 'promote' } | { action: 'rollback'; reason: string };

const rate = (n: number, of: number) => (of === 0 ? 0 : n / of);

/**
 * `rollback` as soon as the candidate has enough meals and its error or needs_input rate exceeds the current
 * model's by more than the tolerance, even mid-window (a bad candidate should hurt as few meals as possible);
 * `promote` at the end of the window when it has enough meals and stayed within; `rollback` at the end of the
 * window when too few meals reached it to judge (promoting an unobserved model is the risk the canary exists to
 * avoid); otherwise `wait`.
 */
export function decideCanary(
  current: RouteCounts,
  candidate: RouteCounts,
  limits: CanaryLimits,
  windowOver: boolean,
): CanaryDecision {
  if (candidate.total >= limits.minSamples) {
    const errors = rate(candidate.errors, candidate.total);
    const errorsNow = rate(current.errors, current.total);
    if (errors > errorsNow + limits.tolerance)
      return { action: 'rollback', reason: `error rate ${pct(errors)} vs ${pct(errorsNow)} on the model in use` };
    const needs = rate(candidate.needsInput, candidate.total);
    const needsNow = rate(current.needsInput, current.total);
    if (needs > needsNow + limits.tolerance)
      return { action: 'rollback', reason: `needs_input rate ${pct(needs)} vs ${pct(needsNow)} on the model in use` };
    if (windowOver) return { action: 'promote' };
  }
  if (windowOver)
    return {
      action: 'rollback',
      reason: `only ${candidate.total} meals reached the candidate (at least ${limits.minSamples} needed to judge)`,
    };
  return { action: 'wait' };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** Both routes' counts over the same window. */
export interface CanaryCounts {
  current: RouteCounts;
  candidate: RouteCounts;
}
