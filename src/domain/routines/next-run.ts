import { addDays, isoWeekday, localDate } from '../insights/time';
import { WEEKDAYS } from '../weekdays';
import {
  type CalendarRange,
  MONTH_NAMES,
  oneShotPlan,
  recurringPlan,
  type TaskCalendar,
  type TaskSchedulePlan,
  type TaskTiming,
} from './schedule';

/**
 * When a task fires next: the first instant after `afterMs` its plan matches, evaluated in the plan's zone the
 * way Temporal's Schedule evaluates the same calendar, so the `nextRunAt` a task shows is the time its Schedule
 * will start the next run (tests/integration/routines-next-run.test.ts compares both across DST). Pure.
 */

/** The schedule plan of a task row: a to-do fires once at its reminder time; the rest follow their config. */
export function planForTask(t: {
  taskType: string;
  config: unknown;
  timezone: string;
  reminderAtMs: number | null;
}): TaskSchedulePlan | undefined {
  if (t.taskType === 'todo') return t.reminderAtMs === null ? undefined : oneShotPlan(t.reminderAtMs);
  return recurringPlan(t.config as TaskTiming, t.timezone);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset (ms) at an instant. */
function offsetAt(epochMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instants of a local wall-clock time in a zone, as Temporal's scheduler matches them (checked against it
 * in tests/integration/routines-consistency.test.ts): a time the spring-forward gap skips does not happen
 * that day ([]). A time the fall-back repeats happens at the instant Go's time.Date picks (the offset in force
 * at the wall time read as UTC), and also at the later instant when Go picked the earlier one: once in
 * Europe/Berlin (02:30 CET), twice in America/New_York (01:30 EDT and EST).
 */
export function localToInstants(date: string, hour: number, minute: number, timeZone: string): number[] {
  const wall = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  // An instant is one when the zone's offset at it turns it back into this wall time.
  const valid = (offset: number) => offsetAt(wall - offset, timeZone) === offset;
  const first = offsetAt(wall, timeZone);
  const picked = [first, offsetAt(wall - first, timeZone)].find(valid);
  if (picked === undefined) return [];
  const DAY = 86_400_000; // offsets a day before and after: the two sides of any transition that day
  const later = [offsetAt(wall - DAY, timeZone), offsetAt(wall + DAY, timeZone)].filter(
    (o) => valid(o) && wall - o > wall - picked,
  );
  return [wall - picked, ...later.map((o) => wall - o)];
}

function expand(ranges: CalendarRange[] | undefined, min: number, max: number): number[] {
  if (!ranges) return [];
  const out = new Set<number>();
  for (const r of ranges)
    for (let v = r.start; v <= Math.min(r.end ?? r.start, max); v += r.step ?? 1) if (v >= min) out.add(v);
  return [...out].sort((a, b) => a - b);
}

/** The local dates (YYYY-MM-DD) a calendar fixes by year, month and day of month, or undefined when it recurs. */
function fixedDates(c: TaskCalendar): string[] | undefined {
  if (!c.year) return undefined;
  const months = (c.month ?? []).map((m) => (MONTH_NAMES as readonly string[]).indexOf(m.start) + 1);
  const out: string[] = [];
  for (const y of expand(c.year, 1970, 9999))
    for (const m of months)
      for (const d of expand(c.dayOfMonth, 1, 31))
        out.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  return out;
}

function timesOn(date: string, c: TaskCalendar, timeZone: string): number[] {
  const weekday = WEEKDAYS[isoWeekday(date)]!.toUpperCase();
  if (c.dayOfWeek && !c.dayOfWeek.includes(weekday as (typeof c.dayOfWeek)[number])) return [];
  const out: number[] = [];
  for (const h of expand(c.hour, 0, 23))
    for (const m of expand(c.minute, 0, 59)) out.push(...localToInstants(date, h, m, timeZone));
  return out;
}

/** Days searched ahead for a recurring calendar: a year and a bit covers any weekly rule. */
const HORIZON_DAYS = 370;

/** The first instant strictly after `afterMs` that the plan matches (epoch ms), or undefined when none is left. */
export function nextOccurrence(plan: TaskSchedulePlan, afterMs: number): number | undefined {
  let best: number | undefined;
  const consider = (t: number) => {
    if (t > afterMs && (best === undefined || t < best)) best = t;
  };
  const start = addDays(localDate(afterMs, plan.timezone), -1); // a DST shift can move a time across midnight
  for (const c of plan.calendars) {
    const fixed = fixedDates(c);
    if (fixed) {
      for (const d of fixed) timesOn(d, c, plan.timezone).forEach(consider);
      continue;
    }
    // Day by day until the day after this calendar's first match: a DST shift moves a time by an hour or
    // two, so no later local day can hold an earlier instant.
    let foundOn: number | undefined;
    for (let i = 0; i <= HORIZON_DAYS && (foundOn === undefined || i <= foundOn + 1); i++)
      for (const t of timesOn(addDays(start, i), c, plan.timezone))
        if (t > afterMs) {
          consider(t);
          foundOn ??= i;
        }
  }
  return best;
}
