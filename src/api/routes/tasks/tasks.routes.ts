import { createRoute, z } from '@hono/zod-openapi';
import { bearer, err, IdempotencyHeader, jsonBody, jsonBodyErrors, jsonContent } from '../../schemas/common';
import {
  CreateTaskBody,
  FromTemplateBody,
  PatchTaskBody,
  TaskListQuery,
  TaskPage,
  TaskView,
  TemplateView,
} from '../../schemas/tasks';

/** Templates and tasks (docs/routines.md). Runs, answers and analytics are in tasks-runs.routes.ts. */
const tags = ['routines'];
export const TaskParam = z.object({ id: z.string() });
const limits = {
  409: err('Idempotency-Key reused with another body'),
  403: err('The template needs a higher subscription level (details.limit = template_access)'),
  429: err('The subscription level allows no more active tasks (details.limit = active_tasks)'),
  503: err('Temporal or the database unavailable'),
};

export const listTemplates = createRoute({
  method: 'get',
  path: '/v1/task-templates',
  tags,
  summary: 'Task templates: defaults, config JSON Schema, required level, credits per run',
  security: bearer,
  responses: { 200: jsonContent(z.object({ items: z.array(TemplateView) }), 'Templates'), 401: err('No token') },
});

export const createTask = createRoute({
  method: 'post',
  path: '/v1/tasks',
  tags,
  summary: 'Create a task (recurring when its config has times or everyHours; a to-do fires at reminderAt)',
  security: bearer,
  request: { headers: IdempotencyHeader, ...jsonBody(CreateTaskBody) },
  responses: {
    201: jsonContent(TaskView, 'Created, with its schedule (or the task this Idempotency-Key created)'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    422: err('Invalid body or config'),
    ...limits,
  },
});

export const createFromTemplate = createRoute({
  method: 'post',
  path: '/v1/tasks/from-template',
  tags,
  summary: "Create a task from a template: the person's config over the template's defaults, checked by its schema",
  security: bearer,
  request: { headers: IdempotencyHeader, ...jsonBody(FromTemplateBody) },
  responses: {
    201: jsonContent(TaskView, 'Created, with its schedule (or the task this Idempotency-Key created)'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    404: err('No such template'),
    422: err('Invalid body or config (details name the fields)'),
    ...limits,
  },
});

export const listTasks = createRoute({
  method: 'get',
  path: '/v1/tasks',
  tags,
  summary: 'My tasks, newest first (filters: status, type, tag)',
  security: bearer,
  request: { query: TaskListQuery },
  responses: { 200: jsonContent(TaskPage, 'A page'), 401: err('No or invalid token'), 422: err('Invalid query') },
});

export const getTask = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}',
  tags,
  summary: 'One task with its counters, streak and last/next run',
  security: bearer,
  request: { params: TaskParam },
  responses: { 200: jsonContent(TaskView, 'The task'), 401: err('No or invalid token'), 404: err('No such task') },
});

export const patchTask = createRoute({
  method: 'patch',
  path: '/v1/tasks/{id}',
  tags,
  summary: 'Change a task; a new schedule replaces the old one (a reminder waiting for an answer is kept)',
  security: bearer,
  // Every field is optional, and so is the body: without one nothing changes.
  request: { params: TaskParam, ...jsonBody(PatchTaskBody, false) },
  responses: {
    200: jsonContent(TaskView, 'Changed'),
    ...jsonBodyErrors,
    401: err('No or invalid token'),
    404: err('No such task'),
    422: err('Invalid body or config'),
    503: err('Temporal or the database unavailable'),
  },
});

export const deleteTask = createRoute({
  method: 'delete',
  path: '/v1/tasks/{id}',
  tags,
  summary: 'Delete a task (soft): its schedule is removed and an open run ends without delivering',
  security: bearer,
  request: { params: TaskParam },
  responses: { 204: { description: 'Deleted' }, 401: err('No or invalid token'), 404: err('No such task') },
});

const statusRoute = (action: 'pause' | 'resume') =>
  createRoute({
    method: 'post',
    path: `/v1/tasks/{id}/${action}`,
    tags,
    summary: action === 'pause' ? 'Pause a task (its schedule stops)' : 'Resume a paused task',
    security: bearer,
    request: { params: TaskParam },
    responses: {
      200: jsonContent(TaskView, 'The task'),
      401: err('No or invalid token'),
      404: err('No such task'),
      ...(action === 'resume'
        ? { 429: err('The subscription level allows no more active tasks (details.limit = active_tasks)') }
        : {}),
    },
  });
export const pauseTask = statusRoute('pause');
export const resumeTask = statusRoute('resume');
