import { caller } from '../../auth';
import type { TaskRunService } from '../../services/tasks-runs.service';
import type { TaskService } from '../../services/tasks.service';
import type { AppRouteHandler } from '../../types';
import type * as runs from './tasks-runs.routes';
import type * as routes from './tasks.routes';

export function taskHandlers(tasks: TaskService, taskRuns: TaskRunService) {
  const me = (c: Parameters<typeof caller>[0]) => caller(c).sub;
  const templates: AppRouteHandler<typeof routes.listTemplates> = async (c) =>
    c.json({ items: await tasks.templates() }, 200);
  const create: AppRouteHandler<typeof routes.createTask> = async (c) =>
    c.json(await tasks.create(me(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']), 201);
  const fromTemplate: AppRouteHandler<typeof routes.createFromTemplate> = async (c) =>
    c.json(await tasks.fromTemplate(me(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']), 201);
  const list: AppRouteHandler<typeof routes.listTasks> = async (c) =>
    c.json(await tasks.list(me(c), c.req.valid('query')), 200);
  const get: AppRouteHandler<typeof routes.getTask> = async (c) =>
    c.json(await tasks.get(me(c), c.req.valid('param').id), 200);
  const patch: AppRouteHandler<typeof routes.patchTask> = async (c) =>
    c.json(await tasks.patch(me(c), c.req.valid('param').id, c.req.valid('json')), 200);
  const remove: AppRouteHandler<typeof routes.deleteTask> = async (c) => {
    await tasks.remove(me(c), c.req.valid('param').id);
    return c.body(null, 204);
  };
  const pause: AppRouteHandler<typeof routes.pauseTask> = async (c) =>
    c.json(await tasks.pause(me(c), c.req.valid('param').id), 200);
  const resume: AppRouteHandler<typeof routes.resumeTask> = async (c) =>
    c.json(await tasks.resume(me(c), c.req.valid('param').id), 200);
  const execute: AppRouteHandler<typeof runs.executeTask> = async (c) =>
    c.json(await taskRuns.execute(me(c), c.req.valid('param').id, c.req.valid('header')['idempotency-key']), 202);
  const executions: AppRouteHandler<typeof runs.listExecutions> = async (c) =>
    c.json(await taskRuns.executions(me(c), c.req.valid('param').id, c.req.valid('query')), 200);
  const answer: AppRouteHandler<typeof runs.answerExecution> = async (c) => {
    const { id, executionId } = c.req.valid('param');
    return c.json(await taskRuns.answer(me(c), id, executionId, c.req.valid('json').action), 200);
  };
  const analytics: AppRouteHandler<typeof runs.taskAnalytics> = async (c) =>
    c.json(await taskRuns.analytics(me(c), c.req.valid('query').days), 200);
  return {
    templates,
    create,
    fromTemplate,
    list,
    get,
    patch,
    remove,
    pause,
    resume,
    execute,
    executions,
    answer,
    analytics,
  };
}
