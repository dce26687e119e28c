import { createRoute, z } from '@hono/zod-openapi';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import {
  AnalyticsQuery,
  AnalyticsView,
  AnswerBody,
  AnswerView,
  ExecutionPage,
  PageQuery,
  StartedRun,
} from '../../schemas/tasks';
import { TaskParam } from './tasks.routes';

/** A task's runs: run now, answer, history; analytics over all of them (docs/routines.md). */
const tags = ['routines'];

export const executeTask = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/execute',
  tags,
  summary: 'Run the task now (a taskExecution run with trigger manual)',
  security: bearer,
  request: { params: TaskParam, headers: IdempotencyHeader },
  responses: {
    202: jsonContent(StartedRun, 'Started (or the run this Idempotency-Key started)'),
    401: err('No or invalid token'),
    404: err('No such task'),
    503: err('Temporal unavailable'),
  },
});

export const listExecutions = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/executions',
  tags,
  summary: "The task's runs, newest first: trigger, status, duration, credits",
  security: bearer,
  request: { params: TaskParam, query: PageQuery },
  responses: {
    200: jsonContent(ExecutionPage, 'A page'),
    401: err('No or invalid token'),
    404: err('No such task'),
    422: err('Invalid query'),
  },
});

export const answerExecution = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/executions/{executionId}/answer',
  tags,
  summary: 'Answer a waiting reminder: done, snooze (10 min) or skip',
  security: bearer,
  request: {
    params: TaskParam.extend({ executionId: z.string().min(1).max(300) }),
    ...jsonBody(AnswerBody),
  },
  responses: {
    200: jsonContent(AnswerView, 'Accepted'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    404: err('No such task or run'),
    409: err('The run is not waiting for an answer'),
    422: err('Invalid action'),
    503: err('Temporal unavailable'),
  },
});

export const taskAnalytics = createRoute({
  method: 'get',
  path: '/v1/tasks/analytics',
  tags,
  summary: 'Counts by status and type, success rate, credits, busiest hours and days (my zone), streaks',
  security: bearer,
  request: { query: AnalyticsQuery },
  responses: {
    200: jsonContent(AnalyticsView, 'Analytics'),
    401: err('No or invalid token'),
    422: err('Invalid days'),
  },
});
