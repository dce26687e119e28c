import { type CaseTier, CASE_TIERS, type Tier } from '../types';
import { featurize } from './features';

/**
 * The learned screening signal: four logistic regressions over the same features, one per threshold of the
 * ordinal scale, each estimating P(tier ≥ k) for k = low, moderate, high, imminent. Trained from the labelled
 * corpus by `scripts/crisis-model/train.ts` (docs/screening/model.md); its gate and thresholds were chosen on
 * the dev split and out-of-fold train entries, recall first: the highest at which the combined screener reaches
 * the recall targets. Like the rules, it flags text for review by trained staff; it never diagnoses.
 */
export interface CrisisModel {
  version: string;
  /** The words the features name (seen in at least two training entries); every other word is one unknown word. */
  vocabulary: string[];
  /** Per threshold k (low, moderate, high, imminent): the bias and the weights of the features it uses. */
  bias: Record<CaseTier, number>;
  /** The feature buckets the model uses, ascending; buckets it does not use are left out. */
  buckets: number[];
  /** Four weights per bucket (one per threshold, in CASE_TIERS order), flat: bucket i's are [4i, 4i + 4). */
  weights: number[];
  /** P(tier ≥ k) at or above which the model says "at least k". */
  thresholds: Record<CaseTier, number>;
  /**
   * The gate: P(tier ≥ low) below which the model flags nothing. An entry past the gate is at least `low`, and
   * `uncertain` while P(tier ≥ low) is under `thresholds.low`; its tier is the most urgent level reached.
   */
  uncertainAt: number;
}

export interface ModelScore {
  version: string;
  /** P(tier ≥ k) per threshold, rounded to 4 digits (what is stored and shown to staff). */
  scores: Record<CaseTier, number>;
  /** `none` below the gate; past it, the most urgent tier whose score reached its threshold, at least `low`. */
  tier: Tier;
  /** True when the tier is `low` and P(≥ low) is under the confident low threshold (review within the day). */
  uncertain: boolean;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Bucket → offset of its weights, and the vocabulary as a set: built once per model object. */
const lookups = new WeakMap<CrisisModel, { at: Map<number, number>; vocabulary: ReadonlySet<string> }>();
function lookupsOf(model: CrisisModel) {
  let found = lookups.get(model);
  if (!found) {
    found = { at: new Map(model.buckets.map((b, i) => [b, i * 4])), vocabulary: new Set(model.vocabulary) };
    lookups.set(model, found);
  }
  return found;
}

/**
 * Scores → tier. The gate: below P(≥ low) = uncertainAt the model flags nothing. Past it, the most urgent level
 * whose threshold is reached; else `low`, marked uncertain when P(≥ low) is under the confident low threshold.
 */
export function decide(
  model: Pick<CrisisModel, 'thresholds' | 'uncertainAt'>,
  scores: Record<CaseTier, number>,
): { tier: Tier; uncertain: boolean } {
  let tier: Tier = 'none';
  if (scores.low >= model.uncertainAt) {
    tier = 'low';
    for (const t of ['moderate', 'high', 'imminent'] as const) if (scores[t] >= model.thresholds[t]) tier = t;
  }
  return { tier, uncertain: tier === 'low' && scores.low < model.thresholds.low };
}

export function scoreWithModel(model: CrisisModel, text: string): ModelScore {
  const { at, vocabulary } = lookupsOf(model);
  const x = featurize(text, vocabulary);
  const z = CASE_TIERS.map((t) => model.bias[t]);
  for (let i = 0; i < x.index.length; i++) {
    const o = at.get(x.index[i]!);
    if (o === undefined) continue;
    const v = x.value[i]!;
    for (let k = 0; k < 4; k++) z[k]! += model.weights[o + k]! * v;
  }
  // P(≥k) must not rise with k: each threshold is capped by the one below it (ordinal consistency).
  const p: number[] = [];
  for (let k = 0; k < 4; k++) p.push(Math.min(sigmoid(z[k]!), k === 0 ? 1 : p[k - 1]!));
  const scores = Object.fromEntries(CASE_TIERS.map((t, k) => [t, round4(p[k]!)])) as Record<CaseTier, number>;
  const { tier, uncertain } = decide(model, scores);
  return { version: model.version, scores, tier, uncertain };
}
