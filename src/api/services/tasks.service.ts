import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import { createProfileRepository } from '../../db/repositories/profiles';
import {
  createTaskRepository,
  type NewTask,
  type TaskPatch,
  type TaskRepository,
  type TaskRow,
} from '../../db/repositories/tasks';
import { createTaskExecutionRepository } from '../../db/repositories/tasks-executions';
import { isSubscriptionLevel, levelIncludes, type TaskStatus, type TaskType } from '../../domain/routines/vocabulary';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { deleteTaskSchedule } from '../../temporal/schedules/tasks';
import { createTaskLifecycle } from '../../temporal/tasks-lifecycle';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import { isUuid } from '../schemas/common';
import { AppError, notFound } from '../errors';
import { createIdempotentStarter } from './idempotent-start';
import { createTaskWrites } from './tasks-writes';
import { mergedConfig, planOf } from './tasks-config';
import { decodeCursor, encodeCursor, taskView, templateView } from './tasks-view';

export interface NewTaskRequest {
  name: string;
  taskType: TaskType;
  category?: string;
  config: Record<string, unknown>;
  tags: string[];
  timezone?: string;
  dueAt?: string;
  reminderAt?: string;
}

export interface FromTemplateRequest {
  templateId: string;
  name?: string;
  config: Record<string, unknown>;
  tags: string[];
  timezone?: string;
}

/** Templates and tasks: rows in PostgreSQL, each recurring task a Temporal Schedule (docs/routines.md). */
export function createTaskService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  idempotencyTtlHours: number;
}) {
  const tasks = createTaskRepository(deps.database.db);
  const executions = createTaskExecutionRepository(deps.database.db);
  const profiles = createProfileRepository(deps.database.db);
  const lifecycle = createTaskLifecycle({ database: deps.database, temporal: deps.temporal, logger: deps.logger });
  const startOnce = createIdempotentStarter(deps.database, deps.idempotencyTtlHours, deps.logger);
  const temporal = <T>(fn: () => Promise<T>) => withTemporalDeadline(deps.temporal, fn);

  async function owned(userId: string, id: string): Promise<TaskRow> {
    const row = isUuid(id) ? await tasks.getOwned(id, userId) : undefined;
    if (!row) throw notFound('task', id);
    return row;
  }

  const { checkActiveCap, writeSchedule, syncSchedule, softDelete } = createTaskWrites({ ...deps, lifecycle });

  /**
   * A new task, once per Idempotency-Key (src/api/services/idempotent-start.ts): the key, the cap check, the
   * row and task.created in one transaction, then the schedule. If the schedule cannot be written the task
   * is deleted again (task.deleted follows its task.created) and the key released: a 503 to retry. If the
   * process dies in between, the row's schedule_pending_since mark has the cleanup write it (or a retry).
   */
  async function insert(
    userId: string,
    values: Omit<NewTask, 'id' | 'userId' | 'status' | 'createdAt' | 'updatedAt'>,
    req: { idempotencyKey?: string; request: unknown },
  ) {
    const now = new Date();
    const row = {
      ...values,
      reminderAt: values.reminderAt ?? null,
      id: randomUUID(),
      userId,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      // Cleared once the schedule is written; a process dying in between leaves it for the hourly repair.
      schedulePendingSince: now,
    };
    planOf(row); // a 422 before anything is written
    const r = await startOnce({
      userId,
      idempotencyKey: req.idempotencyKey,
      request: req.request,
      resourceType: 'task',
      resourceId: row.id,
      what: 'task',
      insert: async (tx) => {
        const repo = createTaskRepository(tx);
        await checkActiveCap(repo, userId);
        await lifecycle.record(tx, 'task.created', await repo.insert(row));
      },
      start: async () => writeSchedule((await tasks.get(row.id))!),
      undo: async () => {
        await softDelete(row.id, userId);
        await temporal(() => deleteTaskSchedule(deps.temporal, row.id)).catch(() => {});
      },
    });
    let stored = await tasks.get(r.resourceId);
    if (!stored) throw notFound('task', r.resourceId);
    // A retried create whose first attempt died before writing the schedule writes it now.
    if (r.replayed && stored.schedulePendingSince) stored = await syncSchedule(stored);
    return taskView(stored);
  }

  async function zone(userId: string, requested?: string): Promise<string> {
    return requested ?? (await profiles.get(userId))?.timezone ?? 'UTC';
  }

  return {
    async templates() {
      return (await tasks.templates()).map(templateView);
    },

    async create(userId: string, body: NewTaskRequest, idempotencyKey?: string) {
      const config = mergedConfig({}, body.config);
      return insert(
        userId,
        {
          templateId: null,
          name: body.name,
          category: body.category ?? 'general',
          taskType: body.taskType,
          config,
          tags: body.tags,
          timezone: await zone(userId, body.timezone),
          pausedReason: null,
          asksAnswer: body.taskType !== 'reminder',
          creditsPerRun: 1,
          dueAt: body.dueAt ? new Date(body.dueAt) : null,
          reminderAt: body.reminderAt ? new Date(body.reminderAt) : null,
        },
        { idempotencyKey, request: ['POST /v1/tasks', body] },
      );
    },

    async fromTemplate(userId: string, body: FromTemplateRequest, idempotencyKey?: string) {
      const template = await tasks.template(body.templateId);
      if (!template) throw notFound('task_template', body.templateId);
      const level = await tasks.level(userId);
      const required = isSubscriptionLevel(template.requiredLevel) ? template.requiredLevel : 'pro';
      if (!levelIncludes(level, required))
        throw new AppError(
          'authorization',
          'template_level_required',
          `The ${template.id} template needs a ${required} subscription; yours is ${level}.`,
          { limit: 'template_access', templateId: template.id, requiredLevel: required, level },
        );
      const config = mergedConfig(
        template.defaultConfig as Record<string, unknown>,
        body.config,
        template.configSchema,
      );
      return insert(
        userId,
        {
          templateId: template.id,
          name: body.name ?? template.name,
          category: template.category,
          taskType: template.taskType,
          config,
          tags: body.tags,
          timezone: await zone(userId, body.timezone),
          pausedReason: null,
          asksAnswer: template.asksAnswer,
          creditsPerRun: template.creditsPerRun,
          dueAt: null,
          reminderAt: null,
        },
        { idempotencyKey, request: ['POST /v1/tasks/from-template', body] },
      );
    },

    async list(
      userId: string,
      q: { status?: TaskStatus; type?: string; tag?: string; cursor?: string; limit: number },
    ) {
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const rows = await tasks.list({
        userId,
        status: q.status,
        taskType: q.type,
        tag: q.tag,
        limit: q.limit,
        ...(after ? { after: { createdAt: after.at, id: after.id } } : {}),
      });
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return { items: rows.map(taskView), nextCursor: last ? encodeCursor(last.createdAt, last.id) : null };
    },

    async get(userId: string, id: string) {
      return taskView(await owned(userId, id));
    },

    /** Edits a task; a changed schedule replaces the Temporal Schedule's spec (a waiting run is untouched). */
    async patch(
      userId: string,
      id: string,
      body: Partial<Omit<NewTaskRequest, 'taskType' | 'category' | 'dueAt' | 'reminderAt'>> & {
        dueAt?: string | null;
        reminderAt?: string | null;
        isCompleted?: boolean;
      },
    ) {
      const row = await owned(userId, id);
      const template = row.templateId ? await tasks.template(row.templateId) : undefined;
      const patch: TaskPatch = {};
      if (body.name !== undefined) patch.name = body.name;
      if (body.tags !== undefined) patch.tags = body.tags;
      if (body.timezone !== undefined) patch.timezone = body.timezone;
      if (body.config !== undefined)
        patch.config = template
          ? mergedConfig(template.defaultConfig as Record<string, unknown>, body.config, template.configSchema)
          : mergedConfig({}, body.config);
      if (body.dueAt !== undefined) patch.dueAt = body.dueAt === null ? null : new Date(body.dueAt);
      if (body.reminderAt !== undefined) patch.reminderAt = body.reminderAt === null ? null : new Date(body.reminderAt);
      if (body.isCompleted !== undefined) {
        patch.isCompleted = body.isCompleted;
        patch.completedAt = body.isCompleted ? (row.completedAt ?? new Date()) : null;
      }
      planOf({ ...row, ...patch }); // a 422 before anything is written
      let updated = await deps.database.db.transaction(async (tx) => {
        const changed = await createTaskRepository(tx).update(id, patch);
        if (changed) await lifecycle.record(tx, 'task.updated', changed);
        return changed ?? row;
      });
      if (['config', 'timezone', 'reminderAt'].some((k) => k in patch)) updated = await syncSchedule(updated);
      return taskView(updated);
    },

    /**
     * Soft delete: the row is marked deleted first (from then on no reminder is delivered for it: the
     * delivery insert checks it), then the schedule is removed and open runs are cancelled (they record
     * `cancelled`).
     */
    async remove(userId: string, id: string) {
      // Task ids are UUIDs: anything else is no such task (PostgreSQL would refuse it as a uuid: a 500).
      const row = isUuid(id) ? await softDelete(id, userId) : undefined;
      if (!row) throw notFound('task', id);
      await temporal(() => deleteTaskSchedule(deps.temporal, id));
      for (const runId of await executions.waiting(id))
        await temporal(() => deps.temporal.workflow.getHandle(runId).cancel()).catch((err: unknown) =>
          deps.logger.warn({ err: logErr(err), taskId: id, runId }, 'open task run could not be cancelled'),
        );
    },

    /** Pauses (row and task.status_changed, then the schedule); a repeat re-pauses the schedule only. */
    async pause(userId: string, id: string) {
      await owned(userId, id);
      await temporal(() => lifecycle.setStatus([id], 'paused', 'user'));
      return taskView(await owned(userId, id));
    },

    /** Resumes under the cap (checked in the transaction that resumes, under the person's lock). */
    async resume(userId: string, id: string) {
      const row = await owned(userId, id);
      const guard = row.status === 'active' ? undefined : (repo: TaskRepository) => checkActiveCap(repo, userId);
      await temporal(() => lifecycle.setStatus([id], 'active', null, guard));
      return taskView(await owned(userId, id));
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
