import { createRouter } from '../../router';
import { createWorkflowService } from '../../services/workflows.service';
import type { ApiDeps } from '../../types';
import { workflowHandlers } from './workflows.handlers';
import * as routes from './workflows.routes';

export function workflowsRouter(deps: ApiDeps) {
  const handlers = workflowHandlers(
    createWorkflowService({ temporal: deps.temporal, namespace: deps.config.TEMPORAL_NAMESPACE }),
    deps.logger,
  );
  // Order matters: the literal paths (`stats`, `…/events`) before `/v1/workflows/{workflowId}`.
  return createRouter()
    .openapi(routes.stats, handlers.stats)
    .openapi(routes.events, handlers.events)
    .openapi(routes.types, handlers.types)
    .openapi(routes.list, handlers.list)
    .openapi(routes.detail, handlers.detail)
    .openapi(routes.cancel, handlers.cancel);
}
