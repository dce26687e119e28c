import { caller } from '../../auth';
import type { TaskInboxService } from '../../services/tasks-inbox.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './tasks-inbox.routes';

export function taskInboxHandlers(inbox: TaskInboxService) {
  const list: AppRouteHandler<typeof routes.listInbox> = async (c) =>
    c.json(await inbox.list(caller(c).sub, c.req.valid('query')), 200);
  const markRead: AppRouteHandler<typeof routes.markRead> = async (c) =>
    c.json(await inbox.markRead(caller(c).sub, c.req.valid('json').ids), 200);
  return { list, markRead };
}
