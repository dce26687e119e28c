import { z } from '@hono/zod-openapi';
import { isValidTimeZone } from '../../domain/insights/time';
import {
  EXECUTION_STATUSES,
  EXECUTION_TRIGGERS,
  PAUSE_REASONS,
  SUBSCRIPTION_LEVELS,
  TASK_ANSWERS,
  TASK_STATUSES,
  TASK_TYPES,
} from '../../domain/routines/vocabulary';
import { PageCursor, Text, withinDateRange } from './common';

/** Request and response shapes of the routines API (docs/routines.md). */

const TimeZone = z
  .string()
  .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')
  .openapi({ example: 'Europe/Berlin' });
const Instant = withinDateRange(z.iso.datetime({ offset: true })).openapi({ example: '2026-12-01T18:00:00Z' });
const Name = Text().trim().min(1).max(255);
const Tags = z.array(Text().trim().min(1).max(50)).max(20);
/** The task's settings; checked against the template's JSON Schema (or the generic one) by the service. */
const Config = z.record(z.string(), z.unknown()).openapi({ example: { times: ['08:00'], windowMinutes: 30 } });

export const CreateTaskBody = z
  .object({
    name: Name,
    taskType: z.enum(TASK_TYPES),
    category: z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
    config: Config.default({}),
    tags: Tags.default([]),
    timezone: TimeZone.optional(),
    dueAt: Instant.optional(),
    reminderAt: Instant.optional(),
  })
  .strict()
  .openapi('CreateTask');

export const FromTemplateBody = z
  .object({
    templateId: z.string().regex(/^[a-z0-9-]{1,60}$/),
    name: Name.optional(),
    config: Config.default({}),
    tags: Tags.default([]),
    timezone: TimeZone.optional(),
  })
  .strict()
  .openapi('CreateTaskFromTemplate');

export const PatchTaskBody = z
  .object({
    name: Name.optional(),
    config: Config.optional(),
    tags: Tags.optional(),
    timezone: TimeZone.optional(),
    dueAt: Instant.nullable().optional(),
    reminderAt: Instant.nullable().optional(),
    isCompleted: z.boolean().optional(),
  })
  .strict()
  .openapi('PatchTask');

export const TaskListQuery = z.object({
  status: z.enum(TASK_STATUSES).exclude(['deleted']).optional(),
  type: z.enum(TASK_TYPES).optional(),
  tag: Text().min(1).max(50).optional(),
  cursor: PageCursor(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const PageQuery = z.object({
  cursor: PageCursor(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const InboxQuery = PageQuery.extend({ unread: z.enum(['true', 'false']).optional() });

export const AnalyticsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

export const AnswerBody = z
  .object({ action: z.enum(TASK_ANSWERS) })
  .strict()
  .openapi('TaskAnswer');

export const MarkReadBody = z
  .object({ ids: z.array(Text().min(1).max(300)).min(1).max(100).optional() })
  .strict()
  .openapi('InboxMarkRead');

export const TemplateView = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    taskType: z.enum(TASK_TYPES),
    defaultConfig: z.record(z.string(), z.unknown()),
    configSchema: z.record(z.string(), z.unknown()),
    requiredFields: z.array(z.string()),
    requiredLevel: z.enum(SUBSCRIPTION_LEVELS),
    creditsPerRun: z.number(),
    asksAnswer: z.boolean(),
  })
  .openapi('TaskTemplate');

export const TaskView = z
  .object({
    id: z.string(),
    name: z.string(),
    templateId: z.string().nullable(),
    category: z.string(),
    taskType: z.enum(TASK_TYPES),
    config: z.record(z.string(), z.unknown()),
    tags: z.array(z.string()),
    timezone: z.string(),
    status: z.enum(TASK_STATUSES),
    pausedReason: z.enum(PAUSE_REASONS).nullable(),
    dueAt: z.string().nullable(),
    reminderAt: z.string().nullable(),
    is_completed: z.boolean(),
    completed_at: z.string().nullable(),
    counters: z.object({
      runs: z.number(),
      done: z.number(),
      skipped: z.number(),
      missed: z.number(),
      creditsUsed: z.number(),
    }),
    streak: z.object({ current: z.number(), best: z.number(), lastDoneDay: z.string().nullable() }),
    lastRunAt: z.string().nullable(),
    nextRunAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Task');

export const TaskPage = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });

export const ExecutionView = z
  .object({
    executionId: z.string(),
    taskId: z.string(),
    trigger: z.enum(EXECUTION_TRIGGERS),
    status: z.enum(EXECUTION_STATUSES),
    scheduledFor: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    credits: z.number(),
    deliveries: z.number(),
  })
  .openapi('TaskExecution');

export const ExecutionPage = z.object({ items: z.array(ExecutionView), nextCursor: z.string().nullable() });

export const StartedRun = z.object({ executionId: z.string(), workflowId: z.string(), alreadyStarted: z.boolean() });

export const AnswerView = z.object({
  executionId: z.string(),
  action: z.enum(TASK_ANSWERS),
  snoozedUntil: z.string().optional(),
});

export const InboxMessageView = z
  .object({
    id: z.string(),
    kind: z.enum(['reminder', 'milestone']),
    taskId: z.string().nullable(),
    executionId: z.string().nullable(),
    title: z.string(),
    body: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('InboxMessage');

export const InboxPage = z.object({
  items: z.array(InboxMessageView),
  unreadCount: z.number(),
  nextCursor: z.string().nullable(),
});

const Count = z.object({ key: z.string(), count: z.number() });
export const AnalyticsView = z
  .object({
    days: z.number(),
    timezone: z.string(),
    tasks: z.object({ byStatus: z.array(Count), byType: z.array(Count) }),
    executions: z.object({
      total: z.number(),
      byStatus: z.array(Count),
      byType: z.array(Count),
      successRate: z.number().nullable(),
      creditsConsumed: z.number(),
    }),
    busiestHours: z.array(z.object({ hour: z.number(), count: z.number() })),
    busiestDays: z.array(z.object({ day: z.string(), count: z.number() })),
    streaks: z.object({ current: z.number(), best: z.number() }),
  })
  .openapi('TaskAnalytics');
