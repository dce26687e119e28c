import { z } from '@hono/zod-openapi';
import { RUN_STATUSES, WORKFLOW_TYPES } from '../services/runs/run-views';
import { Instant } from './common';

const RunSummarySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.string(),
    businessStatus: z.string().optional(),
    userId: z.string().optional(),
    startedAt: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .openapi('RunSummary');

export const RunDetailSchema = RunSummarySchema.extend({
  progress: z.unknown(),
  result: z.unknown().optional(),
  error: z.string().optional(),
}).openapi('RunDetail');

export const RunPage = z.object({ items: z.array(RunSummarySchema), nextCursor: z.string().nullable() });

export const RunListQuery = z.object({
  type: z.enum(WORKFLOW_TYPES).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  cursor: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const WorkflowIdParam = z.object({ workflowId: z.string().min(1).max(256) });

export const Cancelling = z.object({ workflowId: z.string(), status: z.literal('cancelling') });

export const WorkflowTypeList = z.object({ items: z.array(z.unknown()) });

export const StatsQuery = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  type: z.enum(WORKFLOW_TYPES).optional(),
});

export const Stats = z.object({ from: z.string(), to: z.string(), total: z.number() }).passthrough();

export const EventsQuery = z.object({ lastEventId: z.string().max(32).optional() });

export const QueueList = z.object({ items: z.array(z.object({ name: z.string() }).passthrough()) });
