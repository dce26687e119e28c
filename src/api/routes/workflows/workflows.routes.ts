import { createRoute } from '@hono/zod-openapi';
import { bearer, err, jsonContent } from '../../schemas/common';
import {
  Cancelling,
  EventsQuery,
  RunDetailSchema,
  RunListQuery,
  RunPage,
  RunStreamEvent,
  Stats,
  StatsQuery,
  WorkflowIdParam,
  WorkflowTypeList,
} from '../../schemas/workflows';

/** Runs, straight from Temporal: statistics, live events, the type catalog, lists, one run, cancellation. */
const tags = ['workflows'];
const errors = {
  401: err('No or invalid token'),
  404: err('No such run for this caller'),
  422: err('Invalid parameters'),
};

// Registered before `/v1/workflows/{workflowId}`, which would otherwise match 'stats'.
export const stats = createRoute({
  method: 'get',
  path: '/v1/workflows/stats',
  tags,
  summary:
    "Run analytics for the caller's runs (staff/admin: all): counts by type and status, success rate, duration percentiles, busiest hours",
  description:
    'Runs started in [from, to) (default: the last 7 days, at most 366). Success rate = completed / (completed + failed + timed_out + terminated); durations are of those runs, nearest-rank percentiles in ms.',
  security: bearer,
  request: { query: StatsQuery },
  responses: {
    200: jsonContent(Stats, 'Statistics'),
    401: err('No or invalid token'),
    422: err('Invalid range or type'),
  },
});

export const events = createRoute({
  method: 'get',
  path: '/v1/workflows/{workflowId}/events',
  tags,
  summary: 'Live step progress (server-sent events) until the run closes; resumable with Last-Event-ID',
  description:
    'Events: run.started, step.started, step.retried, step.completed, step.failed, step.cancelled, input.waiting, status, signal, timer.started, child.started, child.finished, run.finished (then the stream ends), error. Each `data` is JSON with workflowId, runId, at and the event fields. Ids come from the run history, so reconnecting with `Last-Event-ID` (or `?lastEventId=`) continues after the last event received.',
  security: bearer,
  request: { params: WorkflowIdParam, query: EventsQuery },
  responses: {
    200: { content: { 'text/event-stream': { schema: RunStreamEvent } }, description: 'The event stream' },
    401: err('No or invalid token'),
    404: err('No such run for this caller'),
  },
});

export const types = createRoute({
  method: 'get',
  path: '/v1/workflow-types',
  tags,
  summary: 'Every workflow type with its input schema and step policy table',
  security: bearer,
  responses: { 200: jsonContent(WorkflowTypeList, 'The workflow types'), 401: errors[401] },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/workflows',
  tags,
  summary: "The caller's runs (staff/admin: all), from Temporal visibility",
  security: bearer,
  request: { query: RunListQuery },
  responses: { 200: jsonContent(RunPage, 'A page of runs'), ...errors },
});

export const detail = createRoute({
  method: 'get',
  path: '/v1/workflows/{workflowId}',
  tags,
  summary: 'One run: status, progress, result or error',
  security: bearer,
  request: { params: WorkflowIdParam },
  responses: { 200: jsonContent(RunDetailSchema, 'The run'), ...errors },
});

export const cancel = createRoute({
  method: 'post',
  path: '/v1/workflows/{workflowId}/cancel',
  tags,
  summary: 'Request cancellation of a running run',
  security: bearer,
  request: { params: WorkflowIdParam },
  responses: {
    202: jsonContent(Cancelling, 'Cancellation requested'),
    409: err('The run is not running'),
    ...errors,
  },
});
