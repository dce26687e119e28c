/**
 * The routines vocabulary (docs/routines.md), defined once: task types and statuses, execution outcomes,
 * answers, subscription levels and their caps, streak milestones.
 */

export const TASK_TYPES = ['reminder', 'check_in', 'todo'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** `deleted` is a soft delete: the row stays for its execution history; the API no longer shows it. */
export const TASK_STATUSES = ['active', 'paused', 'deleted'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Why a task is paused: by the person, or by the cap of their subscription level (resumed when it rises). */
export const PAUSE_REASONS = ['user', 'limit'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const EXECUTION_TRIGGERS = ['scheduled', 'manual'] as const;
export type ExecutionTrigger = (typeof EXECUTION_TRIGGERS)[number];

/**
 * `waiting` while the run is open; then one outcome. `delivered`: a task that asks for no answer;
 * `missed`: no answer within the task's window; `cancelled`: the task was deleted while the run was open.
 */
export const EXECUTION_STATUSES = ['waiting', 'done', 'skipped', 'missed', 'delivered', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export type ExecutionOutcome = Exclude<ExecutionStatus, 'waiting'>;

/** What a person answers to a reminder. */
export const TASK_ANSWERS = ['done', 'snooze', 'skip'] as const;
export type TaskAnswer = (typeof TASK_ANSWERS)[number];

export const SUBSCRIPTION_LEVELS = ['free', 'plus', 'pro'] as const;
export type SubscriptionLevel = (typeof SUBSCRIPTION_LEVELS)[number];

/**
 * Active tasks a level may have. Why these numbers: free covers the everyday trio (water, meals, journal);
 * plus a full day's routine; pro is bounded too, so one account cannot create thousands of schedules.
 */
export const ACTIVE_TASK_CAPS: Record<SubscriptionLevel, number> = { free: 3, plus: 20, pro: 100 };

/** True when `level` includes what `required` gives (pro ⊇ plus ⊇ free). */
export function levelIncludes(level: SubscriptionLevel, required: SubscriptionLevel): boolean {
  return SUBSCRIPTION_LEVELS.indexOf(level) >= SUBSCRIPTION_LEVELS.indexOf(required);
}

export function isSubscriptionLevel(s: string): s is SubscriptionLevel {
  return (SUBSCRIPTION_LEVELS as readonly string[]).includes(s);
}

/** Consecutive done days that earn a milestone notification. */
export const STREAK_MILESTONES = [7, 30, 100] as const;
