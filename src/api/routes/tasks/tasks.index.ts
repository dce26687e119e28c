import { createRouter } from '../../router';
import { createTaskRunService } from '../../services/tasks-runs.service';
import { createTaskService } from '../../services/tasks.service';
import type { ApiDeps } from '../../types';
import { taskHandlers } from './tasks.handlers';
import * as runs from './tasks-runs.routes';
import * as routes from './tasks.routes';

export function tasksRouter(deps: ApiDeps) {
  // task.created/updated/deleted/status_changed are queued in the outbox in the transaction of the row change
  // they report; the workers' relay delivers them to NATS (docs/events.md).
  const h = taskHandlers(
    createTaskService({
      database: deps.database,
      temporal: deps.temporal,
      logger: deps.logger,
      idempotencyTtlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    }),
    createTaskRunService({ database: deps.database, temporal: deps.temporal }),
  );
  // Fixed paths (/analytics, /from-template) before /v1/tasks/{id}.
  return createRouter()
    .openapi(routes.listTemplates, h.templates)
    .openapi(runs.taskAnalytics, h.analytics)
    .openapi(routes.createFromTemplate, h.fromTemplate)
    .openapi(routes.createTask, h.create)
    .openapi(routes.listTasks, h.list)
    .openapi(routes.getTask, h.get)
    .openapi(routes.patchTask, h.patch)
    .openapi(routes.deleteTask, h.remove)
    .openapi(routes.pauseTask, h.pause)
    .openapi(routes.resumeTask, h.resume)
    .openapi(runs.executeTask, h.execute)
    .openapi(runs.listExecutions, h.executions)
    .openapi(runs.answerExecution, h.answer);
}
