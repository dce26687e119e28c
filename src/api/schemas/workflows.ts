import { z } from '@hono/zod-openapi';
import { RUN_EVENT_TYPES } from '../services/runs/run-events';
import { RUN_STATUSES, WORKFLOW_TYPES } from '../services/runs/run-views';
import { Instant, PageCursor } from './common';

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
  cursor: PageCursor(4096).optional(),
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

/** What an event's `data` carries: the run, the time, and the event's own fields (ids and statuses only). */
const RunEventData = {
  type: 'object',
  properties: {
    workflowId: { type: 'string' },
    runId: { type: 'string' },
    at: { type: ['string', 'null'], format: 'date-time' },
    type: { type: ['string', 'null'], description: 'run.started: the workflow type' },
    step: { type: 'string' },
    activity: { type: 'string' },
    local: { type: 'boolean' },
    attempt: { type: 'integer', description: 'step.retried: the attempt now running' },
    error: { type: ['string', 'null'], description: 'step.failed, step.retried, run.finished: type and message' },
    status: { type: 'string' },
    name: { type: ['string', 'null'], description: 'signal: the signal or update name' },
    update: { type: 'boolean' },
    seconds: { type: 'number', description: 'timer.started: the timer length' },
    childWorkflowId: { type: ['string', 'null'] },
    message: { type: 'string', description: 'error: what happened to the stream' },
    request_id: { type: 'string' },
  },
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
};

/**
 * One server-sent event of a run's stream, as a client parses it (OpenAPI 3.1: a `text/event-stream` schema
 * describes each event). `data` is JSON text (`contentSchema`); `error` is the stream's own failure, sent once
 * before it ends, when the status was already 200.
 */
export const RunStreamEvent = z
  .object({
    id: z.string().optional().openapi({ description: 'History position; send it back as Last-Event-ID' }),
    event: z.enum([...RUN_EVENT_TYPES, 'error']),
    data: z.string().openapi({ contentMediaType: 'application/json', contentSchema: RunEventData } as object),
  })
  .openapi('RunStreamEvent');

export const EventsQuery = z.object({ lastEventId: z.string().max(32).optional() });

export const QueueList = z.object({ items: z.array(z.object({ name: z.string() }).passthrough()) });
