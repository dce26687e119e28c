import type { Client } from '@temporalio/client';
import { type EventPublisher, publishDomainEvent } from '../adapters/events/publisher';
import { buildDomainEvent, type TaskEventType } from '../adapters/events/schema';
import type { TaskRepository, TaskRow } from '../db/repositories/tasks';
import { capChanges } from '../domain/routines/limits';
import type { PauseReason, SubscriptionLevel, TaskStatus } from '../domain/routines/vocabulary';
import type { Logger } from '../logger';
import { logErr } from '../observability/redact';
import { setTaskSchedulePaused } from './schedules/tasks';

/**
 * What the API and the `subscription.changed` consumer share about a task's life: its events and its
 * active/paused switch (row first, then its schedule). The row is the authority: a scheduled run of a
 * task the row says is paused does nothing (beginTaskRun), so a schedule call that failed half-way
 * cannot make a paused task fire.
 */
export function createTaskLifecycle(deps: {
  tasks: TaskRepository;
  temporal: Client;
  events: EventPublisher;
  logger: Logger;
}) {
  /**
   * Publishes a task event (ids and the status only). Best effort after the row is committed: a NATS outage
   * must not fail the person's request; the event is logged as lost. Id `<type>:<taskId>:<updatedAt ms>`.
   */
  async function publish(type: TaskEventType, row: Pick<TaskRow, 'id' | 'userId' | 'status' | 'updatedAt'>) {
    const at = row.updatedAt.getTime();
    try {
      const event = buildDomainEvent(
        type,
        { taskId: row.id, userId: row.userId, status: row.status as TaskStatus },
        { key: `${row.id}:${at}`, time: row.updatedAt.toISOString() },
      );
      await publishDomainEvent(deps.events, event);
    } catch (err) {
      deps.logger.warn({ err: logErr(err), taskId: row.id, type }, 'task event not published');
    }
  }

  /** Pauses or resumes tasks (row, then schedule, then `task.status_changed`); returns the ids that changed. */
  async function setStatus(ids: string[], status: 'active' | 'paused', reason: PauseReason | null) {
    const changed = await deps.tasks.setStatus(ids, status, reason);
    for (const id of changed) {
      const next = await setTaskSchedulePaused(deps.temporal, id, status === 'paused');
      const row = await deps.tasks.update(id, { nextRunAt: status === 'paused' ? null : (next[0] ?? null) });
      if (row) await publish('task.status_changed', row);
    }
    return changed;
  }

  /**
   * A new subscription level (from `subscription.changed`): store it (an older announcement changes nothing),
   * then pause the newest active tasks over the new cap, or resume tasks the cap had paused, oldest first.
   */
  async function applyLevel(userId: string, level: SubscriptionLevel, changedAt: Date) {
    if (!(await deps.tasks.setLevel(userId, level, changedAt))) return { paused: [], resumed: [] };
    const rows = await deps.tasks.capped(userId);
    const plan = capChanges(
      level,
      rows.map((r) => ({ ...r, status: r.status as 'active' | 'paused', createdAt: r.createdAt.getTime() })),
    );
    const paused = await setStatus(plan.pause, 'paused', 'limit');
    const resumed = await setStatus(plan.resume, 'active', null);
    deps.logger.info({ userId, level, paused: paused.length, resumed: resumed.length }, 'subscription level applied');
    return { paused, resumed };
  }

  return { publish, setStatus, applyLevel };
}

export type TaskLifecycle = ReturnType<typeof createTaskLifecycle>;
