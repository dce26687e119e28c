import { describe, expect, it } from 'vitest';
import {
  canaryBucket,
  decideCanary,
  gateCandidate,
  routeFor,
  scoreModel,
  type EvaluationSample,
} from '../../src/domain/models';

const sample = (label: string, ...predicted: [string, number][]): EvaluationSample => ({
  label,
  predicted: predicted.map(([l, c]) => ({ label: l, confidence: c })),
});

describe('canary routing', () => {
  it('is deterministic by meal id and follows the configured share', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(ids.map((id) => routeFor(id, 0.3))).toEqual(ids.map((id) => routeFor(id, 0.3)));
    const routed = ids.filter((id) => routeFor(id, 0.3) === 'candidate').length / ids.length;
    expect(routed).toBeGreaterThan(0.26);
    expect(routed).toBeLessThan(0.34);
    for (const id of ids.slice(0, 50)) {
      expect(canaryBucket(id)).toBeGreaterThanOrEqual(0);
      expect(canaryBucket(id)).toBeLessThan(1);
    }
  });

  it('routes nothing at share 0 and everything at share 1', () => {
    expect(routeFor('a', 0)).toBe('current');
    expect(routeFor('a', 1)).toBe('candidate');
  });

  it('a meal on the candidate at a small share stays there as the share grows', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `meal-${i}`);
    const small = ids.filter((id) => routeFor(id, 0.1) === 'candidate');
    expect(small.every((id) => routeFor(id, 0.5) === 'candidate')).toBe(true);
  });
});

describe('scoring and the gate', () => {
  it('scores top-1, top-3 and the needs_input share with the confidence floor', () => {
    const score = scoreModel(
      [
        sample('salmon', ['salmon', 0.9]),
        sample('rice', ['pasta', 0.6], ['bread', 0.5], ['rice', 0.4]),
        sample('egg', ['egg', 0.2]), // below the floor: needs input, not a hit
        sample('apple', ['pear', 0.8], ['banana', 0.7], ['plum', 0.6], ['apple', 0.5]),
      ],
      0.3,
    );
    expect(score).toEqual({ samples: 4, top1: 0.25, top3: 0.5, needsInput: 0.25 });
  });

  it('passes a candidate within the margin and stops one that is worse on any metric', () => {
    const current = { samples: 100, top1: 0.8, top3: 0.9, needsInput: 0.1 };
    expect(gateCandidate(current, { samples: 100, top1: 0.79, top3: 0.9, needsInput: 0.11 }, 0.02).passed).toBe(true);
    const worse = gateCandidate(current, { samples: 100, top1: 0.7, top3: 0.9, needsInput: 0.2 }, 0.02);
    expect(worse.passed).toBe(false);
    expect(worse.reasons).toEqual(['top-1 70.0 % vs 80.0 % in use', 'needs_input 20.0 % vs 10.0 % in use']);
  });

  it('never passes on an empty evaluation set', () => {
    const none = { samples: 0, top1: 0, top3: 0, needsInput: 0 };
    expect(gateCandidate(none, none, 0.02)).toEqual({ passed: false, reasons: ['the evaluation set is empty'] });
  });
});

describe('canary decision', () => {
  const limits = { tolerance: 0.05, minSamples: 5 };
  const ok = { total: 20, errors: 0, needsInput: 2 };

  it('waits while the candidate has too few meals and the window is open', () => {
    expect(decideCanary(ok, { total: 2, errors: 2, needsInput: 0 }, limits, false)).toEqual({ action: 'wait' });
  });

  it('rolls back mid-window on a raised error rate', () => {
    const d = decideCanary(ok, { total: 6, errors: 3, needsInput: 0 }, limits, false);
    expect(d).toEqual({ action: 'rollback', reason: 'error rate 50.0 % vs 0.0 % on the model in use' });
  });

  it('rolls back on a raised needs_input rate', () => {
    expect(decideCanary(ok, { total: 10, errors: 0, needsInput: 5 }, limits, true).action).toBe('rollback');
  });

  it('promotes at the end of the window when the candidate stayed within the tolerance', () => {
    expect(decideCanary(ok, { total: 10, errors: 0, needsInput: 1 }, limits, false)).toEqual({ action: 'wait' });
    expect(decideCanary(ok, { total: 10, errors: 0, needsInput: 1 }, limits, true)).toEqual({ action: 'promote' });
  });

  it('rolls back at the end of the window when too few meals reached the candidate', () => {
    const d = decideCanary(ok, { total: 3, errors: 0, needsInput: 0 }, limits, true);
    expect(d).toMatchObject({ action: 'rollback' });
  });
});
