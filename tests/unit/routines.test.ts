import { describe, expect, it } from 'vitest';
import {
  afterDone,
  capChanges,
  composeReminder,
  oneShotPlan,
  recurringPlan,
  streakOn,
  TaskTimingError,
} from '../../src/domain/routines';

describe('recurringPlan', () => {
  it('groups daily times by minute, as closed single-value ranges, in the zone', () => {
    expect(recurringPlan({ times: ['08:30', '13:00', '19:30'] }, 'Europe/Berlin')).toEqual({
      timezone: 'Europe/Berlin',
      calendars: [
        { hour: [{ start: 13, end: 13 }], minute: [{ start: 0, end: 0 }] },
        {
          hour: [
            { start: 8, end: 8 },
            { start: 19, end: 19 },
          ],
          minute: [{ start: 30, end: 30 }],
        },
      ],
    });
  });

  it('turns every N hours in waking hours into one stepped range, with days', () => {
    expect(
      recurringPlan({ everyHours: 2, from: '08:00', to: '22:00', daysOfWeek: ['monday'] }, 'UTC')!.calendars,
    ).toEqual([{ hour: [{ start: 8, end: 22, step: 2 }], minute: [{ start: 0, end: 0 }], dayOfWeek: ['MONDAY'] }]);
  });

  it('does not recur without times; refuses inconsistent timing', () => {
    expect(recurringPlan({}, 'UTC')).toBeUndefined();
    expect(() => recurringPlan({ everyHours: 2, from: '22:00', to: '08:00' }, 'UTC')).toThrow(TaskTimingError);
    expect(() => recurringPlan({ times: ['25:00'] }, 'UTC')).toThrow(TaskTimingError);
  });

  it('a one-shot reminder is its exact UTC minute', () => {
    expect(oneShotPlan(Date.parse('2027-03-28T06:45:00Z')).calendars[0]).toMatchObject({
      year: [{ start: 2027, end: 2027 }],
      month: [{ start: 'MARCH', end: 'MARCH' }],
      dayOfMonth: [{ start: 28, end: 28 }],
      hour: [{ start: 6, end: 6 }],
      minute: [{ start: 45, end: 45 }],
    });
  });
});

describe('streaks', () => {
  const none = { current: 0, best: 0, lastDoneDay: null };
  it('counts consecutive days once per day and restarts after a gap', () => {
    let s = afterDone(none, '2026-11-01');
    expect(s).toEqual({ current: 1, best: 1, lastDoneDay: '2026-11-01' });
    expect(afterDone(s, '2026-11-01')).toBe(s); // the same day twice changes nothing
    s = afterDone(s, '2026-11-02');
    expect(s.current).toBe(2);
    s = afterDone(s, '2026-11-05');
    expect(s).toEqual({ current: 1, best: 2, lastDoneDay: '2026-11-05' });
  });

  it('marks the milestone on the run that reaches 7, 30 and 100 days, across month ends', () => {
    let s: ReturnType<typeof afterDone> = none;
    const milestones: number[] = [];
    for (let i = 0; i < 100; i++) {
      const day = new Date(Date.UTC(2026, 10, 25 + i)).toISOString().slice(0, 10);
      s = afterDone(s, day);
      if ('milestone' in s && s.milestone) milestones.push(s.milestone);
    }
    expect(milestones).toEqual([7, 30, 100]);
    expect(s.current).toBe(100);
  });

  it('reads as broken when the last done day is before yesterday', () => {
    const s = { current: 4, best: 4, lastDoneDay: '2026-11-10' };
    expect(streakOn(s, '2026-11-11')).toBe(4);
    expect(streakOn(s, '2026-11-12')).toBe(0);
  });
});

describe('capChanges', () => {
  const t = (
    id: string,
    createdAt: number,
    status: 'active' | 'paused' = 'active',
    pausedReason: string | null = null,
  ) => ({
    id,
    createdAt,
    status,
    pausedReason,
  });
  it('pauses the newest active tasks over the cap', () => {
    expect(capChanges('free', [t('a', 1), t('b', 2), t('c', 3), t('d', 4), t('e', 5)])).toEqual({
      pause: ['d', 'e'],
      resume: [],
    });
  });
  it('resumes cap-paused tasks oldest first up to the cap, never ones the person paused', () => {
    const tasks = [t('a', 1), t('b', 2, 'paused', 'user'), t('c', 3, 'paused', 'limit'), t('d', 4, 'paused', 'limit')];
    expect(capChanges('free', tasks)).toEqual({ pause: [], resume: ['c', 'd'] });
    expect(capChanges('free', [...tasks, t('e', 0)])).toEqual({ pause: [], resume: ['c'] });
  });
});

describe('messages', () => {
  it('say the category, never the task name', () => {
    expect(composeReminder('medication', 1).body).toBe('Time for your reminder. Answer done, snooze or skip.');
    expect(composeReminder('unknown', 2).title).toBe('Reminder (snoozed)');
  });
});
