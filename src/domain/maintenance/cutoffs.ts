import { parseDurationMs } from './duration';

/**
 * The instants before which maintenance acts. Every cutoff is relative to `asOf`, the run's own start time
 * (workflow time, passed to every activity), so a retried or resumed pass uses the same cutoff as the first
 * one and a run deletes one well-defined set of rows, however long it takes. Rows count as expired only when
 * *strictly* older than the cutoff.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Extra wait after a meal's input limit before cleanup touches it: its own timer fires first, normally. */
export const STUCK_MEAL_GRACE_MS = HOUR_MS;

function instant(asOf: string | number | Date): number {
  const t = asOf instanceof Date ? asOf.getTime() : typeof asOf === 'number' ? asOf : Date.parse(asOf);
  if (!Number.isFinite(t)) throw new RangeError('asOf must be a valid instant');
  return t;
}

function positive(n: number, what: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${what} must be a positive number`);
  return n;
}

export function hoursBefore(asOf: string | number | Date, hours: number): Date {
  return new Date(instant(asOf) - positive(hours, 'hours') * HOUR_MS);
}

/**
 * Calendar-free on purpose: "N days" is N × 24 h of elapsed time, so the boundary does not move with
 * daylight-saving changes in any zone.
 */
export function daysBefore(asOf: string | number | Date, days: number): Date {
  return new Date(instant(asOf) - positive(days, 'days') * DAY_MS);
}

/** Meals created before this have outlived their input limit plus the grace: nobody will close them. */
export function stuckMealCutoff(asOf: string | number | Date, inputTimeout: string): Date {
  return new Date(instant(asOf) - parseDurationMs(inputTimeout) - STUCK_MEAL_GRACE_MS);
}

export interface RetentionCutoffs {
  mealImages: Date;
  journalTexts: Date;
}

export function retentionCutoffs(
  asOf: string | number | Date,
  days: { imageDays: number; journalDays: number },
): RetentionCutoffs {
  return { mealImages: daysBefore(asOf, days.imageDays), journalTexts: daysBefore(asOf, days.journalDays) };
}

/** True when `createdAt` is expired at `cutoff`: strictly older, so a row exactly at the cutoff stays. */
export function isExpired(createdAt: Date, cutoff: Date): boolean {
  return createdAt.getTime() < cutoff.getTime();
}
