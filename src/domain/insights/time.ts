import type { DayLabel } from './types';

/** Calendar-date helpers. Dates are plain YYYY-MM-DD strings; arithmetic is done on UTC midnights, so DST never shifts a day. */

export const DAY_LABELS: readonly DayLabel[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. */
export function isoWeekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function weekDates(weekStart: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Strict-enough ISO instant: date, time, and a Z or ±hh:mm offset (a bare local time would be ambiguous). */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO instant, or null when it is not one. */
export function parseInstant(iso: string): number | null {
  if (!INSTANT_RE.test(iso)) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** The calendar date of an instant in a time zone. */
export function localDate(epochMs: number, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The Monday (YYYY-MM-DD) of the week holding this instant in `timeZone`. */
export function mondayOf(epochMs: number, timeZone: string): string {
  const today = localDate(epochMs, timeZone);
  return addDays(today, -isoWeekday(today));
}

/**
 * The Monday of the last complete week before this instant, in UTC, without Intl (workflow code uses it:
 * pure arithmetic on the instant, so a replay computes the same week).
 */
export function previousWeekStartUtc(epochMs: number): string {
  const today = new Date(epochMs).toISOString().slice(0, 10);
  return addDays(today, -isoWeekday(today) - 7);
}
