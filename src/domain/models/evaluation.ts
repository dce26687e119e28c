/**
 * Scoring a model on the fixed evaluation set and the gate a candidate must pass (docs/model-retraining.md).
 * Pure: the evaluate step feeds it the model server's answers.
 */
export interface Prediction {
  label: string;
  confidence: number;
}

export interface EvaluationSample {
  /** The photo's true label. */
  label: string;
  /** The model's answer, best first; empty when the model server refused the photo. */
  predicted: Prediction[];
}

export interface ModelScore {
  samples: number;
  /** Share of photos whose best label is the true one. */
  top1: number;
  /** Share whose true label is among the first three. */
  top3: number;
  /** Share that would go to needs_input: no label at or above the recognise step's confidence floor. */
  needsInput: number;
}

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);

export function scoreModel(samples: readonly EvaluationSample[], minConfidence: number): ModelScore {
  let top1 = 0;
  let top3 = 0;
  let needsInput = 0;
  for (const s of samples) {
    const kept = s.predicted.filter((p) => p.confidence >= minConfidence);
    if (kept.length === 0) needsInput += 1;
    if (kept[0]?.label === s.label) top1 += 1;
    if (kept.slice(0, 3).some((p) => p.label === s.label)) top3 += 1;
  }
  const n = samples.length;
  return { samples: n, top1: share(top1, n), top3: share(top3, n), needsInput: share(needsInput, n) };
}

export interface GateResult {
  passed: boolean;
  /** One line per metric the candidate lost by more than the margin. */
  reasons: string[];
}

/**
 * The candidate passes unless it is worse than the current model by more than `margin` (absolute share, e.g.
 * 0.02 = two points) on top-1, top-3 or the needs_input share (where higher is worse). An empty evaluation set
 * proves nothing, so it never passes.
 */
export function gateCandidate(current: ModelScore, candidate: ModelScore, margin: number): GateResult {
  const reasons: string[] = [];
  if (candidate.samples === 0) reasons.push('the evaluation set is empty');
  const pts = (x: number) => `${(x * 100).toFixed(1)} %`;
  if (candidate.top1 < current.top1 - margin)
    reasons.push(`top-1 ${pts(candidate.top1)} vs ${pts(current.top1)} in use`);
  if (candidate.top3 < current.top3 - margin)
    reasons.push(`top-3 ${pts(candidate.top3)} vs ${pts(current.top3)} in use`);
  if (candidate.needsInput > current.needsInput + margin)
    reasons.push(`needs_input ${pts(candidate.needsInput)} vs ${pts(current.needsInput)} in use`);
  return { passed: reasons.length === 0, reasons };
}
