import type { ExecutionRow } from '../../db/repositories/tasks-executions';
import type { InboxRow } from '../../db/repositories/tasks-inbox';
import type { TaskRow, TemplateRow } from '../../db/repositories/tasks';
import type {
  ExecutionStatus,
  ExecutionTrigger,
  PauseReason,
  SubscriptionLevel,
  TaskStatus,
  TaskType,
} from '../../domain/routines/vocabulary';
import { isUuid } from '../schemas/common';
import { AppError } from '../errors';

/** How routines rows read in the API, and the opaque page cursors over them. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function templateView(t: TemplateRow) {
  const schema = t.configSchema as { required?: string[] };
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    category: t.category,
    taskType: t.taskType as TaskType,
    defaultConfig: t.defaultConfig as Record<string, unknown>,
    configSchema: t.configSchema as Record<string, unknown>,
    requiredFields: schema.required ?? [],
    requiredLevel: t.requiredLevel as SubscriptionLevel,
    creditsPerRun: t.creditsPerRun,
    asksAnswer: t.asksAnswer,
  };
}

export function taskView(t: TaskRow) {
  return {
    id: t.id,
    name: t.name,
    templateId: t.templateId,
    category: t.category,
    taskType: t.taskType as TaskType,
    config: t.config as Record<string, unknown>,
    tags: t.tags,
    timezone: t.timezone,
    status: t.status as TaskStatus,
    pausedReason: t.pausedReason as PauseReason | null,
    dueAt: iso(t.dueAt),
    reminderAt: iso(t.reminderAt),
    is_completed: t.isCompleted,
    completed_at: iso(t.completedAt),
    counters: {
      runs: t.runCount,
      done: t.doneCount,
      skipped: t.skippedCount,
      missed: t.missedCount,
      creditsUsed: t.creditsUsed,
    },
    streak: { current: t.currentStreak, best: t.bestStreak, lastDoneDay: t.lastDoneDay },
    lastRunAt: iso(t.lastRunAt),
    nextRunAt: iso(t.nextRunAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function executionView(e: ExecutionRow) {
  return {
    executionId: e.id,
    taskId: e.taskId,
    trigger: e.trigger as ExecutionTrigger,
    status: e.status as ExecutionStatus,
    scheduledFor: e.scheduledFor.toISOString(),
    startedAt: e.startedAt.toISOString(),
    finishedAt: iso(e.finishedAt),
    durationMs: e.durationMs,
    credits: e.credits,
    deliveries: e.deliveries,
  };
}

export function inboxView(m: InboxRow) {
  return {
    id: m.id,
    kind: m.kind as 'reminder' | 'milestone',
    taskId: m.taskId,
    executionId: m.executionId,
    title: m.title,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    readAt: iso(m.readAt),
  };
}

/** A page cursor: the last row's (time, id), opaque to clients. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, idIsUuid = true): { at: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const at = new Date(t);
    if (Number.isNaN(at.getTime()) || typeof id !== 'string' || (idIsUuid && !isUuid(id))) throw new Error('bad');
    return { at, id };
  } catch {
    throw new AppError('validation', 'invalid_cursor', 'The cursor is not valid');
  }
}
