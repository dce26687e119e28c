import { type CrisisModel, decide } from '../../src/domain/crisis/model/score';
import { CASE_TIERS, type CaseTier, maxTier, type Tier, tierAtLeast } from '../../src/domain/crisis/types';
import type { CorpusRecord } from './corpus';

/**
 * The recall targets (issue 18, on the held-out test split): the share of each label's entries whose
 * combined tier (the higher of the rules and the model) is at least their label.
 */
export const RECALL_TARGET: Record<CaseTier, number> = { imminent: 0.98, high: 0.98, moderate: 0.95, low: 0.9 };
/**
 * Thresholds aim this far above each target on dev + out-of-fold train, so the held-out figures have room to
 * fall: a pool of ~1,500 entries the model never saw is not the test split.
 */
export const RECALL_MARGIN = 0.01;
/** What each label must reach on dev + out-of-fold train: its target plus a margin. */
export const recallAim = (margin: number) =>
  Object.fromEntries(CASE_TIERS.map((k) => [k, Math.min(1, RECALL_TARGET[k] + margin)])) as Record<CaseTier, number>;
/** The shipped aim: 99 / 99 / 96 / 91 % for imminent / high / moderate / low. */
export const DEV_RECALL = recallAim(RECALL_MARGIN);

/** A labelled entry with its rules tier and the P(≥ k) of a model that never trained on it. */
export interface Scored {
  r: CorpusRecord;
  rules: Tier;
  p: Record<CaseTier, number>;
}

/**
 * The highest candidate at which `reach` (non-increasing as the threshold rises) meets `need`; when no
 * candidate meets it, the highest one that reaches as much as the lowest candidate does (the most recall
 * there is, without flags that buy none). The highest threshold meeting recall is also the one with the fewest
 * benign flags: lowering a threshold can only add flags. No benign cap takes part: recall first.
 */
function highestReaching(candidates: number[], meets: (t: number) => boolean, best: (t: number) => boolean) {
  const sorted = [...new Set(candidates)].sort((a, b) => b - a);
  if (sorted.length === 0) return 1.01;
  const lowest = sorted[sorted.length - 1]!;
  const ok = meets(lowest) ? meets : best;
  return sorted.find(ok) ?? lowest;
}

/**
 * Recall first (issue 18: "model thresholds chosen on the dev split for recall"), on entries scored by a
 * model that never trained on them (dev, and train out of fold; never test). The gate first: the highest
 * P(≥ low) at which every label's entries reach the gate (or their own tier by the rules) at DEV_RECALL. Then
 * the levels from the most urgent down: for each, the highest threshold at which that label's entries reach
 * their tier in the combined screener (rules max model, as `screenEntry` combines them, with the gate and the
 * thresholds already chosen above applied). `thresholds.low` (never below 0.5) only marks an entry past the
 * gate as confident; below it the entry is `low` and `uncertain` (reviewed within the day). Benign entries
 * decide nothing but the tie: among thresholds meeting recall, the highest, which flags the fewest.
 */
export function chooseThresholds(scored: Scored[], margin = RECALL_MARGIN) {
  const aim = recallAim(margin);
  const labelled = (k: Tier) => scored.filter((s) => s.r.label === k);
  const reachedShare = (items: Scored[], reached: (s: Scored) => boolean) =>
    items.length === 0 ? 1 : items.filter(reached).length / items.length;
  const passes = (k: CaseTier, g: number) => (s: Scored) => tierAtLeast(s.rules, k) || s.p.low >= g;
  const risky = scored.filter((s) => s.r.label !== 'none');
  const lowestGate = Math.min(...risky.map((s) => s.p.low));
  const gate = highestReaching(
    risky.map((s) => s.p.low),
    (g) => CASE_TIERS.every((k) => reachedShare(labelled(k), passes(k, g)) >= aim[k] - 1e-9),
    (g) =>
      CASE_TIERS.every(
        (k) => reachedShare(labelled(k), passes(k, g)) >= reachedShare(labelled(k), passes(k, lowestGate)) - 1e-9,
      ),
  );
  const chosen: Partial<Record<CaseTier, number>> = {};
  const modelTier = (p: Record<CaseTier, number>): Tier =>
    decide({ uncertainAt: gate, thresholds: { low: 1, moderate: 1.01, high: 1.01, imminent: 1.01, ...chosen } }, p)
      .tier;
  for (const k of ['imminent', 'high', 'moderate'] as const) {
    const items = labelled(k);
    const share = (t: number) => {
      chosen[k] = t;
      return reachedShare(items, (s) => tierAtLeast(maxTier(s.rules, modelTier(s.p)), k));
    };
    const candidates = items.map((s) => s.p[k]);
    const most = candidates.length ? share(Math.min(...candidates)) : 1;
    chosen[k] = highestReaching(
      candidates,
      (t) => share(t) >= aim[k] - 1e-9,
      (t) => share(t) >= most - 1e-9,
    );
  }
  const thresholds = { ...(chosen as Record<CaseTier, number>), low: Math.max(0.5, gate) };
  return { thresholds, uncertainAt: gate };
}

/** Dev figures of a finished model: reach per label, benign flagged by each signal, and the confusion matrix. */
export function devReport(model: Pick<CrisisModel, 'thresholds' | 'uncertainAt'>, scored: Scored[]): string {
  const rows = scored.map((s) => {
    const m = decide(model, s.p).tier;
    return { ...s, model: m, tier: maxTier(s.rules, m) };
  });
  const lines = [`thresholds ${JSON.stringify(model.thresholds)} uncertainAt (gate) ${model.uncertainAt}`];
  for (const k of CASE_TIERS) {
    const items = rows.filter((s) => s.r.label === k);
    const n = (f: (s: (typeof rows)[number]) => boolean) => items.filter(f).length;
    lines.push(
      `dev ${k}: ${n((s) => tierAtLeast(s.tier, k))}/${items.length} reach their tier ` +
        `(rules ${n((s) => tierAtLeast(s.rules, k))}, model ${n((s) => tierAtLeast(s.model, k))})`,
    );
  }
  const benign = rows.filter((s) => s.r.label === 'none');
  const count = (f: (s: (typeof rows)[number]) => boolean) => benign.filter(f).length;
  lines.push(
    `dev benign flagged: ${count((s) => s.tier !== 'none')}/${benign.length} ` +
      `(rules ${count((s) => s.rules !== 'none')}, model ${count((s) => s.model !== 'none')}; ` +
      `as imminent ${count((s) => s.tier === 'imminent')}, high ${count((s) => s.tier === 'high')}, ` +
      `moderate ${count((s) => s.tier === 'moderate')})`,
  );
  return lines.join('\n');
}
