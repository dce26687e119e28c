import { ACTIVE_TASK_CAPS, type SubscriptionLevel } from './vocabulary';

/** A task as the cap sees it. */
export interface CappedTask {
  id: string;
  status: 'active' | 'paused';
  pausedReason: string | null;
  createdAt: number;
}

/**
 * Which tasks a level's cap pauses or resumes. Over the cap, the newest active tasks are paused (the ones
 * the person set up first keep running); under it, tasks paused by the cap come back oldest first, up to
 * the cap. Tasks the person paused themselves are never resumed by a cap change.
 */
export function capChanges(level: SubscriptionLevel, tasks: CappedTask[]): { pause: string[]; resume: string[] } {
  const cap = ACTIVE_TASK_CAPS[level];
  const byAge = [...tasks].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const active = byAge.filter((t) => t.status === 'active');
  if (active.length > cap) return { pause: active.slice(cap).map((t) => t.id), resume: [] };
  const room = cap - active.length;
  const resumable = byAge.filter((t) => t.status === 'paused' && t.pausedReason === 'limit');
  return { pause: [], resume: resumable.slice(0, room).map((t) => t.id) };
}
