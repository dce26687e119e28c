import { describe, expect, it } from 'vitest';
import type { CorpusRecord } from '../../scripts/crisis-model/corpus';
import { chooseThresholds, DEV_RECALL, devReport, type Scored } from '../../scripts/crisis-model/thresholds';
import { decide } from '../../src/domain/crisis/model/score';
import type { CaseTier, Tier } from '../../src/domain/crisis/types';

// Synthetic scored entries: the threshold procedure is pure, so its choices can be pinned on a small pool.
let n = 0;
const entry = (label: Tier, p: [number, number, number, number], rules: Tier = 'none'): Scored => ({
  r: { id: `t-${n++}`, text: `entry ${n}`, label, category: 'test', register: 'plain' } as CorpusRecord,
  rules,
  p: { low: p[0], moderate: p[1], high: p[2], imminent: p[3] } as Record<CaseTier, number>,
});
const repeat = (k: number, f: (i: number) => Scored) => Array.from({ length: k }, (_, i) => f(i));

describe('chooseThresholds', () => {
  it('places the gate where every label reaches it when the benign budget allows', () => {
    const pool = [
      ...repeat(20, (i) => entry('imminent', [0.95, 0.95, 0.9, 0.8 - i * 0.01])),
      ...repeat(20, (i) => entry('high', [0.9, 0.85, 0.7 - i * 0.01, 0.1])),
      ...repeat(20, (i) => entry('moderate', [0.8, 0.6 - i * 0.01, 0.1, 0.01])),
      ...repeat(20, (i) => entry('low', [0.7 - i * 0.01, 0.1, 0.05, 0.01])),
      ...repeat(100, (i) => entry('none', [0.3 - i * 0.002, 0.05, 0.02, 0.01])),
    ];
    const { thresholds, uncertainAt } = chooseThresholds(pool, 0.3);
    // Low entries score 0.70 down to 0.51 and 95 % of them must pass: the gate sits at the second lowest,
    // above every benign entry (at most 0.3).
    expect(uncertainAt).toBeCloseTo(0.52, 5);
    const tiers = pool.map((s) => decide({ thresholds, uncertainAt }, s.p).tier);
    expect(pool.filter((s, i) => s.r.label === 'none' && tiers[i] !== 'none')).toEqual([]);
    for (const k of ['imminent', 'high', 'moderate', 'low'] as const)
      expect(pool.filter((s, i) => s.r.label === k && tiers[i] === k).length).toBeGreaterThanOrEqual(
        Math.ceil(DEV_RECALL[k] * 20),
      );
  });

  it('stops at the benign budget when the labels cannot all pass the gate (recall is then reported short)', () => {
    const pool = [
      ...repeat(10, (i) => entry('low', [0.9 - i * 0.08, 0.1, 0.05, 0.01])),
      ...repeat(10, (i) => entry('none', [0.85 - i * 0.08, 0.05, 0.02, 0.01])),
    ];
    const { uncertainAt } = chooseThresholds(pool, 0.2);
    const benignPast = pool.filter((s) => s.r.label === 'none' && s.p.low >= uncertainAt).length;
    expect(benignPast).toBeLessThanOrEqual(2);
    expect(benignPast).toBeGreaterThan(0);
    const report = devReport(
      { thresholds: { low: 0.5, moderate: 1, high: 1, imminent: 1 }, uncertainAt } as never,
      pool,
    );
    expect(report).toMatch(/dev low: \d+\/10 reach their tier/);
  });

  it('counts an entry the rules already tier as reached, so the model need not flag it', () => {
    const pool = [
      entry('high', [0.05, 0.05, 0.05, 0.01], 'high'),
      ...repeat(9, () => entry('high', [0.9, 0.9, 0.8, 0.1])),
      ...repeat(20, () => entry('none', [0.1, 0.05, 0.02, 0.01])),
    ];
    const { uncertainAt } = chooseThresholds(pool, 0.3);
    expect(uncertainAt).toBeGreaterThan(0.05);
  });
});
