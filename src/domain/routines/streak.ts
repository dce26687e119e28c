import { addDays } from '../insights/time';
import { STREAK_MILESTONES } from './vocabulary';

/** A task's streak of consecutive days with a done run, in the task's zone. */
export interface Streak {
  current: number;
  best: number;
  /** YYYY-MM-DD (local) of the last day with a done run. */
  lastDoneDay: string | null;
}

/**
 * The streak after a run was done on `day` (local YYYY-MM-DD). A second done run on the same day changes
 * nothing; the day after the last done day extends the streak; any gap starts a new one. `milestone` is set
 * only on the run that first reaches 7, 30 or 100 days, so the milestone notification goes out once.
 */
export function afterDone(prev: Streak, day: string): Streak & { milestone?: number } {
  if (prev.lastDoneDay !== null && day <= prev.lastDoneDay) return prev;
  const current = prev.lastDoneDay !== null && addDays(prev.lastDoneDay, 1) === day ? prev.current + 1 : 1;
  const next = { current, best: Math.max(prev.best, current), lastDoneDay: day };
  const milestone = (STREAK_MILESTONES as readonly number[]).includes(current) ? current : undefined;
  return milestone ? { ...next, milestone } : next;
}

/** The streak as it reads on `today`: still current when the last done day is today or yesterday, else 0. */
export function streakOn(s: Streak, today: string): number {
  if (s.lastDoneDay === null) return 0;
  return s.lastDoneDay === today || addDays(s.lastDoneDay, 1) === today ? s.current : 0;
}
