import { createRouter } from '../../router';
import { createQueueService } from '../../services/queues.service';
import type { ApiDeps } from '../../types';
import { queueHandlers } from './queues.handlers';
import * as routes from './queues.routes';

/**
 * `GET /v1/queues`: per task queue and task type, the pollers (workers) and the backlog, from Temporal. The
 * same description feeds the `wellflow_task_queue_*` gauges of this process's /metrics (backlog alerts).
 */
export function queuesRouter(deps: ApiDeps) {
  const queues = createQueueService({ temporal: deps.temporal, namespace: deps.config.TEMPORAL_NAMESPACE });
  deps.metrics?.watchTaskQueues(queues.samples);
  return createRouter().openapi(routes.listQueues, queueHandlers(queues).list);
}
