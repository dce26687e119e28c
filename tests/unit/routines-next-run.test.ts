import { describe, expect, it } from 'vitest';
import { localToInstants, nextOccurrence, oneShotPlan, planForTask, recurringPlan } from '../../src/domain/routines';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const after = (plan: Parameters<typeof nextOccurrence>[0], at: string) => iso(nextOccurrence(plan, Date.parse(at)));

describe('nextOccurrence: the next time a task fires, in its zone', () => {
  const berlin8 = recurringPlan({ times: ['08:00'] }, 'Europe/Berlin')!;

  it('keeps 08:00 local across both DST transitions (07:00Z in winter, 06:00Z in summer)', () => {
    expect(after(berlin8, '2027-03-27T07:00:00Z')).toBe('2027-03-28T06:00:00.000Z'); // summer time starts 28 March
    expect(after(berlin8, '2027-10-30T06:00:00Z')).toBe('2027-10-31T07:00:00.000Z'); // and ends 31 October
  });

  it('is strictly after the given instant: at the occurrence itself, the next one', () => {
    expect(after(berlin8, '2027-01-10T07:00:00Z')).toBe('2027-01-11T07:00:00.000Z');
    expect(after(berlin8, '2027-01-10T06:59:59Z')).toBe('2027-01-10T07:00:00.000Z');
  });

  it('steps every N hours within the waking window, on the given days only', () => {
    const plan = recurringPlan(
      { everyHours: 2, from: '07:00', to: '21:00', daysOfWeek: ['sunday'] },
      'America/New_York',
    )!;
    expect(after(plan, '2027-03-10T07:00:00Z')).toBe('2027-03-14T11:00:00.000Z'); // Sunday 14 March, 07:00 EDT
    expect(after(plan, '2027-03-14T11:00:00Z')).toBe('2027-03-14T13:00:00.000Z');
    expect(after(plan, '2027-03-15T01:00:00Z')).toBe('2027-03-21T11:00:00.000Z'); // 21:00 was the last; next Sunday
  });

  it('takes the earliest of several calendars (times in different minutes)', () => {
    const plan = recurringPlan({ times: ['19:30', '08:15'] }, 'Asia/Kathmandu')!; // UTC+5:45
    expect(after(plan, '2027-05-01T03:00:00Z')).toBe('2027-05-01T13:45:00.000Z');
    expect(after(plan, '2027-05-01T14:00:00Z')).toBe('2027-05-02T02:30:00.000Z');
  });

  it('a one-shot reminder fires once, however far ahead, then never again', () => {
    const plan = oneShotPlan(Date.parse('2029-06-30T16:30:00Z'));
    expect(after(plan, '2027-01-01T00:00:00Z')).toBe('2029-06-30T16:30:00.000Z');
    expect(after(plan, '2029-06-30T16:30:00Z')).toBeUndefined();
  });
});

describe('localToInstants: a wall-clock time in a zone, as Temporal matches it', () => {
  const isos = (ts: number[]) => ts.map((t) => new Date(t).toISOString());
  it('maps ordinary times by the offset in force', () => {
    expect(isos(localToInstants('2027-01-15', 8, 0, 'Europe/Berlin'))).toEqual(['2027-01-15T07:00:00.000Z']);
    expect(isos(localToInstants('2027-07-15', 8, 0, 'Europe/Berlin'))).toEqual(['2027-07-15T06:00:00.000Z']);
  });

  it('a time inside the spring-forward gap does not happen; a repeated time as Temporal repeats it', () => {
    expect(localToInstants('2027-03-28', 2, 30, 'Europe/Berlin')).toEqual([]);
    expect(isos(localToInstants('2027-10-31', 2, 30, 'Europe/Berlin'))).toEqual(['2027-10-31T01:30:00.000Z']);
    expect(isos(localToInstants('2027-11-07', 1, 30, 'America/New_York'))).toEqual([
      '2027-11-07T05:30:00.000Z',
      '2027-11-07T06:30:00.000Z',
    ]);
  });

  it('so a 02:30 reminder skips the spring-forward day', () => {
    const plan = recurringPlan({ times: ['02:30'] }, 'Europe/Berlin')!;
    expect(after(plan, '2027-03-27T02:00:00Z')).toBe('2027-03-29T00:30:00.000Z');
  });
});

describe('planForTask', () => {
  it('a to-do fires at its reminder or not at all; the rest follow their config', () => {
    expect(planForTask({ taskType: 'todo', config: {}, timezone: 'UTC', reminderAtMs: null })).toBeUndefined();
    expect(planForTask({ taskType: 'todo', config: {}, timezone: 'UTC', reminderAtMs: 0 })).toEqual(oneShotPlan(0));
    expect(
      planForTask({ taskType: 'reminder', config: { times: ['08:00'] }, timezone: 'UTC', reminderAtMs: null }),
    ).toEqual(recurringPlan({ times: ['08:00'] }, 'UTC'));
  });
});
