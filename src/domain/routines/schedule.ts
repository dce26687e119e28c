import { WEEKDAYS, type Weekday } from '../weekdays';

/**
 * When a task fires, as plain calendar data in the task's zone (what a Temporal Schedule's calendar spec
 * takes; src/temporal/schedules/tasks.ts passes it on unchanged). Pure, so it is unit-tested here and the
 * zone's DST rules are applied by Temporal, which evaluates the calendar in `timezone`.
 */
export interface TaskTiming {
  /** Daily at these local times (HH:MM). */
  times?: string[];
  /** Only on these days (default: every day). */
  daysOfWeek?: Weekday[];
  /** Every N hours from `from` to `to` (local, inclusive): "every 2 h in waking hours". */
  everyHours?: number;
  from?: string;
  to?: string;
}

export interface CalendarRange {
  start: number;
  end?: number;
  step?: number;
}

export interface TaskCalendar {
  hour: CalendarRange[];
  minute: CalendarRange[];
  dayOfWeek?: Uppercase<Weekday>[];
  year?: CalendarRange[];
  /** Month names, upper case (JANUARY…), as Temporal's calendar takes them. */
  month?: { start: string; end: string }[];
  dayOfMonth?: CalendarRange[];
}

export interface TaskSchedulePlan {
  calendars: TaskCalendar[];
  timezone: string;
}

/** A single value as a range (Temporal reads a range without `end` as ending at 0). */
const one = <T>(v: T) => ({ start: v, end: v });

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHhmm(s: string): { hour: number; minute: number } | undefined {
  const m = HHMM.exec(s);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

export class TaskTimingError extends Error {}

const days = (t: TaskTiming) =>
  t.daysOfWeek?.length ? { dayOfWeek: t.daysOfWeek.map((d) => d.toUpperCase() as Uppercase<Weekday>) } : {};

/**
 * The calendars of a recurring task, or undefined when it does not recur (a to-do fires once, at its
 * reminder time: see oneShotPlan). Times sharing a minute are grouped into one calendar per minute.
 */
export function recurringPlan(t: TaskTiming, timezone: string): TaskSchedulePlan | undefined {
  if (t.everyHours !== undefined) {
    const from = parseHhmm(t.from ?? '');
    const to = parseHhmm(t.to ?? '');
    if (!from || !to || from.hour > to.hour) throw new TaskTimingError('from and to must be HH:MM with from <= to');
    if (!Number.isInteger(t.everyHours) || t.everyHours < 1 || t.everyHours > 12)
      throw new TaskTimingError('everyHours must be 1 to 12');
    return {
      timezone,
      calendars: [
        {
          hour: [{ start: from.hour, end: to.hour, step: t.everyHours }],
          minute: [one(from.minute)],
          ...days(t),
        },
      ],
    };
  }
  if (!t.times?.length) return undefined;
  const byMinute = new Map<number, number[]>();
  for (const s of t.times) {
    const p = parseHhmm(s);
    if (!p) throw new TaskTimingError(`time ${JSON.stringify(s)} is not HH:MM`);
    byMinute.set(p.minute, [...(byMinute.get(p.minute) ?? []), p.hour]);
  }
  for (const d of t.daysOfWeek ?? [])
    if (!WEEKDAYS.includes(d)) throw new TaskTimingError(`day ${JSON.stringify(d)} is not a weekday`);
  return {
    timezone,
    calendars: [...byMinute.entries()]
      .sort(([a], [b]) => a - b)
      .map(([minute, hours]) => ({
        hour: [...new Set(hours)].sort((a, b) => a - b).map(one),
        minute: [one(minute)],
        ...days(t),
      })),
  };
}

/** Temporal's calendar month names, January first. */
export const MONTH_NAMES = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;

/** A to-do's single reminder: the exact instant, as a UTC calendar (the instant already fixes the zone). */
export function oneShotPlan(reminderAtMs: number): TaskSchedulePlan {
  const d = new Date(reminderAtMs);
  return {
    timezone: 'UTC',
    calendars: [
      {
        year: [one(d.getUTCFullYear())],
        month: [one<string>(MONTH_NAMES[d.getUTCMonth()]!)],
        dayOfMonth: [one(d.getUTCDate())],
        hour: [one(d.getUTCHours())],
        minute: [one(d.getUTCMinutes())],
      },
    ],
  };
}
