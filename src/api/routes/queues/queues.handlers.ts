import { requireRole } from '../../auth';
import type { QueueService } from '../../services/queues.service';
import type { AppRouteHandler } from '../../types';
import type * as routes from './queues.routes';

export function queueHandlers(queues: QueueService) {
  const list: AppRouteHandler<typeof routes.listQueues> = async (c) => {
    requireRole(c, ['staff', 'admin']);
    return c.json({ items: await queues.list() }, 200);
  };
  return { list };
}
