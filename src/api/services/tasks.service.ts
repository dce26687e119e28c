import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { EventPublisher } from '../../adapters/events/publisher';
import type { Database } from '../../db/client';
import { createProfileRepository } from '../../db/repositories/profiles';
import { createTaskRepository, type NewTask, type TaskPatch, type TaskRow } from '../../db/repositories/tasks';
import { createTaskExecutionRepository } from '../../db/repositories/tasks-executions';
import { oneShotPlan, type TaskSchedulePlan } from '../../domain/routines/schedule';
import {
  ACTIVE_TASK_CAPS,
  isSubscriptionLevel,
  levelIncludes,
  type TaskStatus,
  type TaskType,
} from '../../domain/routines/vocabulary';
import type { Logger } from '../../logger';
import { logErr } from '../../observability/redact';
import { deleteTaskSchedule, upsertTaskSchedule } from '../../temporal/schedules/tasks';
import { createTaskLifecycle } from '../../temporal/tasks-lifecycle';
import { withTemporalDeadline } from '../../temporal/workflow-client';
import { isUuid } from '../schemas/common';
import { AppError, notFound, outageError } from '../errors';
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

/** Templates and tasks: rows in PostgreSQL, each recurring task a Temporal Schedule (docs/routines.md). */
export function createTaskService(deps: {
  database: Database;
  temporal: Client;
  logger: Logger;
  events: EventPublisher;
}) {
  const tasks = createTaskRepository(deps.database.db);
  const executions = createTaskExecutionRepository(deps.database.db);
  const profiles = createProfileRepository(deps.database.db);
  const lifecycle = createTaskLifecycle({ tasks, temporal: deps.temporal, events: deps.events, logger: deps.logger });
  const temporal = <T>(fn: () => Promise<T>) => withTemporalDeadline(deps.temporal, fn);

  async function owned(userId: string, id: string): Promise<TaskRow> {
    const row = isUuid(id) ? await tasks.getOwned(id, userId) : undefined;
    if (!row) throw notFound('task', id);
    return row;
  }

  /** 429 when one more active task would pass the level's cap (details name the limit). */
  async function checkActiveCap(userId: string) {
    const level = await tasks.level(userId);
    const cap = ACTIVE_TASK_CAPS[level];
    const active = await tasks.countActive(userId);
    if (active >= cap)
      throw new AppError(
        'rate_limited',
        'active_task_limit',
        `Your ${level} subscription allows ${cap} active tasks; pause or delete one, or upgrade.`,
        { limit: 'active_tasks', level, cap, active },
      );
    return level;
  }

  function planFor(
    row: Pick<TaskRow, 'config' | 'timezone' | 'reminderAt' | 'taskType'>,
  ): TaskSchedulePlan | undefined {
    if (row.taskType === 'todo') return row.reminderAt ? oneShotPlan(row.reminderAt.getTime()) : undefined;
    return planOf(row.config as Record<string, unknown>, row.timezone);
  }

  /** Writes the task's schedule (or removes it when it no longer recurs) and stores the next run time. */
  async function syncSchedule(row: TaskRow): Promise<TaskRow> {
    const plan = planFor(row);
    let next: Date | null = null;
    try {
      if (plan) {
        const times = await temporal(() =>
          upsertTaskSchedule(deps.temporal, {
            userId: row.userId,
            taskId: row.id,
            plan,
            paused: row.status !== 'active',
          }),
        );
        next = row.status === 'active' ? (times[0] ?? null) : null;
      } else await temporal(() => deleteTaskSchedule(deps.temporal, row.id));
    } catch (err) {
      deps.logger.warn({ err: logErr(err), taskId: row.id }, 'task schedule could not be saved');
      throw (
        outageError(err) ??
        new AppError('unavailable', 'schedule_failed', 'The schedule could not be saved. Please retry.')
      );
    }
    return (await tasks.update(row.id, { nextRunAt: next })) ?? row;
  }

  async function insert(userId: string, values: Omit<NewTask, 'id' | 'userId' | 'status' | 'createdAt' | 'updatedAt'>) {
    const now = new Date();
    const row = await tasks.insert({
      ...values,
      id: randomUUID(),
      userId,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
    let synced: TaskRow;
    try {
      synced = await syncSchedule(row);
    } catch (err) {
      await tasks.softDelete(row.id, userId); // a task without its schedule would never fire
      throw err;
    }
    await lifecycle.publish('task.created', synced);
    return taskView(synced);
  }

  async function zone(userId: string, requested?: string): Promise<string> {
    return requested ?? (await profiles.get(userId))?.timezone ?? 'UTC';
  }

  return {
    async templates() {
      return (await tasks.templates()).map(templateView);
    },

    async create(userId: string, body: NewTaskRequest) {
      await checkActiveCap(userId);
      const config = mergedConfig({}, body.config);
      return insert(userId, {
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
      });
    },

    async fromTemplate(
      userId: string,
      body: { templateId: string; name?: string; config: Record<string, unknown>; tags: string[]; timezone?: string },
    ) {
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
      await checkActiveCap(userId);
      const config = mergedConfig(
        template.defaultConfig as Record<string, unknown>,
        body.config,
        template.configSchema,
      );
      return insert(userId, {
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
      });
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
      const next = { ...row, ...patch };
      planFor(next); // a 422 before anything is written
      let updated = (await tasks.update(id, patch)) ?? row;
      if (['config', 'timezone', 'reminderAt'].some((k) => k in patch)) updated = await syncSchedule(updated);
      await lifecycle.publish('task.updated', updated);
      return taskView(updated);
    },

    /**
     * Soft delete: the row is marked deleted first (from then on no reminder is delivered for it: the
     * delivery insert checks it), then the schedule is removed and open runs are cancelled (they record
     * `cancelled`).
     */
    async remove(userId: string, id: string) {
      // Task ids are UUIDs: anything else is no such task (PostgreSQL would refuse it as a uuid: a 500).
      const row = isUuid(id) ? await tasks.softDelete(id, userId) : undefined;
      if (!row) throw notFound('task', id);
      await temporal(() => deleteTaskSchedule(deps.temporal, id));
      for (const runId of await executions.waiting(id))
        await temporal(() => deps.temporal.workflow.getHandle(runId).cancel()).catch((err: unknown) =>
          deps.logger.warn({ err: logErr(err), taskId: id, runId }, 'open task run could not be cancelled'),
        );
      await lifecycle.publish('task.deleted', row);
    },

    async pause(userId: string, id: string) {
      const row = await owned(userId, id);
      if (row.status !== 'paused') await lifecycle.setStatus([id], 'paused', 'user');
      return taskView(await owned(userId, id));
    },

    async resume(userId: string, id: string) {
      const row = await owned(userId, id);
      if (row.status !== 'active') {
        await checkActiveCap(userId);
        await lifecycle.setStatus([id], 'active', null);
      }
      return taskView(await owned(userId, id));
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
