import { createRouter } from '../../router';
import { createTaskInboxService } from '../../services/tasks-inbox.service';
import type { ApiDeps } from '../../types';
import { taskInboxHandlers } from './tasks-inbox.handlers';
import * as routes from './tasks-inbox.routes';

export function taskInboxRouter(deps: ApiDeps) {
  const handlers = taskInboxHandlers(createTaskInboxService({ database: deps.database }));
  return createRouter().openapi(routes.listInbox, handlers.list).openapi(routes.markRead, handlers.markRead);
}
