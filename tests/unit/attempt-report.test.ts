import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_KEY,
  attemptDetail,
  attemptOfDetails,
  readReport,
  reportAttempt,
} from '../../src/contracts/attempt-report';

/** A result as the workflow receives it: through the payload converter (JSON), as Temporal carries it. */
const carried = (value: unknown) => defaultPayloadConverter.fromPayload(defaultPayloadConverter.toPayload(value));

describe('attempt reports', () => {
  it('unwraps a value and its attempt', () => {
    expect(readReport(carried(reportAttempt({ kcal: 420 }, 3)))).toEqual({ value: { kcal: 420 }, attempt: 3 });
  });

  it("reads a void activity's attempt: JSON drops `value: undefined`, leaving the attempt alone", () => {
    const wire = carried(reportAttempt(undefined, 3));
    expect(wire).toEqual({ [ATTEMPT_KEY]: 3 });
    expect(readReport(wire)).toEqual({ value: undefined, attempt: 3 });
  });

  it('passes results recorded before attempts were reported through unchanged', () => {
    expect(readReport({ kcal: 420 })).toEqual({ value: { kcal: 420 } });
    expect(readReport(undefined)).toEqual({ value: undefined });
    expect(readReport([1, 2])).toEqual({ value: [1, 2] });
  });

  it('does not take an ordinary object with other fields, or a bad attempt, for a report', () => {
    expect(readReport({ [ATTEMPT_KEY]: 2, value: 1, other: true })).toEqual({
      value: { [ATTEMPT_KEY]: 2, value: 1, other: true },
    });
    expect(readReport({ [ATTEMPT_KEY]: 0 })).toEqual({ value: { [ATTEMPT_KEY]: 0 } });
  });

  it('finds the attempt in failure details', () => {
    expect(attemptOfDetails(['x', attemptDetail(4)])).toBe(4);
    expect(attemptOfDetails(undefined)).toBeUndefined();
  });
});
