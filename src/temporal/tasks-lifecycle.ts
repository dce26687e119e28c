import type { Client } from '@temporalio/client';
import { queueDomainEvent } from '../adapters/events/outbox';
import { buildDomainEvent, type TaskEventType } from '../adapters/events/schema';
import type { Database, Db } from '../db/client';
import { createTaskRepository, type TaskRepository, type TaskRow } from '../db/repositories/tasks';
import { capChanges } from '../domain/routines/limits';
import type { PauseReason, SubscriptionLevel, TaskStatus } from '../domain/routines/vocabulary';
import type { Logger } from '../logger';
import { setTaskSchedulePaused } from './schedules/tasks';

/**
 * What the API and the `subscription.changed` consumer share about a task's life: its events and its
 * active/paused switch (row and event in one transaction, then its schedule). The row is the authority: a
 * scheduled run of a task the row says is paused does nothing (beginTaskRun), so a schedule call that failed
 * half-way cannot make a paused task fire.
 */
export function createTaskLifecycle(deps: { database: Database; temporal: Client; logger: Logger }) {
  const tasks = createTaskRepository(deps.database.db);

  /**
   * Queues a task event (ids and the status only) in the outbox on `tx`, the transaction that changed the
   * row: the event is stored exactly when the change commits. Id `<type>:<taskId>:<updatedAt ms>`.
   */
  async function record(tx: Db, type: TaskEventType, row: Pick<TaskRow, 'id' | 'userId' | 'status' | 'updatedAt'>) {
    const at = row.updatedAt.getTime();
    const event = buildDomainEvent(
      type,
      { taskId: row.id, userId: row.userId, status: row.status as TaskStatus },
      { key: `${row.id}:${at}`, time: row.updatedAt.toISOString() },
    );
    await queueDomainEvent(tx, event);
  }

  /** Rows first (inside the caller's transaction), each with its `task.status_changed`. */
  async function changeRows(tx: Db, ids: string[], status: 'active' | 'paused', reason: PauseReason | null) {
    const changed = await createTaskRepository(tx).setStatus(ids, status, reason);
    for (const row of changed) await record(tx, 'task.status_changed', row);
    return changed.map((r) => r.id);
  }

  /**
   * After the rows committed: each schedule follows its row, and the row's next run time follows both. Done
   * for every task asked about, changed or not (pause and unpause are idempotent): a retry after a Temporal
   * failure, which finds the rows already changed, still brings their schedules in line.
   */
  async function followSchedules(ids: string[], paused: boolean) {
    for (const id of ids) {
      await setTaskSchedulePaused(deps.temporal, id, paused);
      await tasks.refreshNextRun(id, Date.now());
    }
  }

  /**
   * Pauses or resumes tasks; returns the ids whose row changed. `guard` runs first in the same transaction
   * (the cap check of a resume, under the person's lock), so a refusal changes nothing.
   */
  async function setStatus(
    ids: string[],
    status: 'active' | 'paused',
    reason: PauseReason | null,
    guard?: (tx: TaskRepository) => Promise<void>,
  ) {
    const changed = await deps.database.db.transaction(async (tx) => {
      await guard?.(createTaskRepository(tx));
      return changeRows(tx, ids, status, reason);
    });
    await followSchedules(ids, status === 'paused');
    return changed;
  }

  /**
   * A new subscription level (from `subscription.changed`): under the person's lock, store it (an older
   * announcement changes nothing), then pause the newest active tasks over the new cap, or resume tasks the
   * cap had paused, oldest first; then the schedules follow.
   */
  async function applyLevel(userId: string, level: SubscriptionLevel, changedAt: Date) {
    const out = await deps.database.db.transaction(async (tx) => {
      const repo = createTaskRepository(tx);
      await repo.lockPerson(userId);
      if (!(await repo.setLevel(userId, level, changedAt)))
        return { paused: [], resumed: [], pausedIds: [], activeIds: [] };
      const rows = await repo.capped(userId);
      const plan = capChanges(
        level,
        rows.map((r) => ({ ...r, status: r.status as 'active' | 'paused', createdAt: r.createdAt.getTime() })),
      );
      const paused = await changeRows(tx, plan.pause, 'paused', 'limit');
      const resumed = await changeRows(tx, plan.resume, 'active', null);
      // Every capped task's final state, so its schedule can follow even on a redelivery that changes no row.
      const isPaused = (r: (typeof rows)[number]) =>
        plan.pause.includes(r.id) || (r.status === 'paused' && !plan.resume.includes(r.id));
      return {
        paused,
        resumed,
        pausedIds: rows.filter(isPaused).map((r) => r.id),
        activeIds: rows.filter((r) => !isPaused(r)).map((r) => r.id),
      };
    });
    await followSchedules(out.pausedIds, true);
    await followSchedules(out.activeIds, false);
    deps.logger.info(
      { userId, level, paused: out.paused.length, resumed: out.resumed.length },
      'subscription level applied',
    );
    return { paused: out.paused, resumed: out.resumed };
  }

  return { record, setStatus, applyLevel };
}

export type TaskLifecycle = ReturnType<typeof createTaskLifecycle>;
