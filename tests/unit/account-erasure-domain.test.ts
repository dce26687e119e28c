import { describe, expect, it } from 'vitest';
import {
  addCounts,
  ERASURE_KINDS,
  fullCounts,
  photoPlan,
  receiptOf,
  shouldCancelRun,
  visibilityLiteral,
} from '../../src/domain/account/erasure';

describe('erasure photo plan', () => {
  const a = 'sha256:' + 'a'.repeat(64) + '.jpg';
  const b = 'sha256:' + 'b'.repeat(64) + '.jpg';
  const c = 'sha256:' + 'c'.repeat(64) + '.png';

  it('removes files only this page uses, keeps (and counts once) files another person uses', () => {
    const plan = photoPlan([a, a, b, null, c], { others: new Set([b]), ownLater: new Set() });
    expect(plan).toEqual({ remove: [a, c], shared: [b] });
  });

  it('leaves a file the person still uses in a later page to that page (neither removed nor counted)', () => {
    expect(photoPlan([a, b], { others: new Set([b]), ownLater: new Set([a, b]) })).toEqual({ remove: [], shared: [] });
    // The later page, when nothing of the person's is left outside it, decides.
    expect(photoPlan([a, b], { others: new Set([b]), ownLater: new Set() })).toEqual({ remove: [a], shared: [b] });
  });

  it('has nothing to do for meals without photos', () => {
    expect(photoPlan([null, null], { others: new Set(), ownLater: new Set() })).toEqual({ remove: [], shared: [] });
  });
});

describe('erasure counts and receipt', () => {
  it('adds per kind and lists every kind in the receipt', () => {
    const c = addCounts({ meals: 200 }, { meals: 37, photos: 2 });
    expect(c).toEqual({ meals: 237, photos: 2 });
    const full = fullCounts(c);
    expect(Object.keys(full)).toEqual([...ERASURE_KINDS]);
    expect(full.journalEntries).toBe(0);
  });

  it('reads a row as a receipt: status from completion, ISO times, unknown kinds dropped', () => {
    const t = new Date('2026-11-30T10:00:00Z');
    const r = receiptOf({
      userId: 'u1',
      workflowId: 'erasure-u1',
      trigger: 'event',
      requestedAt: t,
      runsClosedAt: null,
      completedAt: null,
      counts: { meals: 3, somethingElse: 9 },
      crisisCasesRetained: 1,
    });
    expect(r.status).toBe('erasing');
    expect(r.requestedAt).toBe('2026-11-30T10:00:00.000Z');
    expect(r.counts.meals).toBe(3);
    expect(r.counts).not.toHaveProperty('somethingElse');
    expect(receiptOf({ ...r, requestedAt: t, runsClosedAt: t, completedAt: t, counts: {} }).status).toBe('completed');
  });
});

describe('erasure run selection and queries', () => {
  it('cancels every run type except the kept ones', () => {
    const kept = ['accountErasure', 'crisisCase'];
    expect(shouldCancelRun('mealAnalysis', kept)).toBe(true);
    expect(shouldCancelRun('accountExport', kept)).toBe(true);
    expect(shouldCancelRun('crisisCase', kept)).toBe(false);
    expect(shouldCancelRun('accountErasure', kept)).toBe(false);
  });

  it('quotes a user id for a visibility query and refuses one that could change its meaning', () => {
    expect(visibilityLiteral('u-1@x.org')).toBe("'u-1@x.org'");
    for (const bad of ["a' OR 'x'='x", 'a"b', 'a\\b', '', 'x'.repeat(201)])
      expect(() => visibilityLiteral(bad)).toThrow(RangeError);
  });
});
