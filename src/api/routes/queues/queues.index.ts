import { createRouter } from '../../router';
import { createQueueService } from '../../services/queues.service';
import type { ApiDeps } from '../../types';
import { queueHandlers } from './queues.handlers';
import * as routes from './queues.routes';

/** `GET /v1/queues`: per task queue and task type, the pollers (workers) and the backlog, from Temporal. */
export function queuesRouter(deps: ApiDeps) {
  const handlers = queueHandlers(
    createQueueService({ temporal: deps.temporal, namespace: deps.config.TEMPORAL_NAMESPACE }),
  );
  return createRouter().openapi(routes.listQueues, handlers.list);
}
