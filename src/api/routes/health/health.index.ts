import { createRouter } from '../../router';
import type { ApiDeps } from '../../types';
import { healthHandlers } from './health.handlers';
import * as routes from './health.routes';

export function healthRouter(deps: ApiDeps) {
  const handlers = healthHandlers(deps.health);
  return createRouter()
    .openapi(routes.liveness, handlers.liveness)
    .openapi(routes.ping, handlers.ping)
    .openapi(routes.readiness, handlers.readiness)
    .openapi(routes.detailed, handlers.detailed)
    .openapi(routes.oneCheck, handlers.oneCheck);
}
