import type { HealthChecker } from '../../../observability/health-checks';
import { createRouter } from '../../router';
import type { ApiDeps } from '../../types';
import { healthHandlers, type LivenessProblem } from './health.handlers';
import * as routes from './health.routes';

/** The public port's probes: liveness, ping and readiness (what load balancers and orchestrators call). */
export function healthRouter(deps: Pick<ApiDeps, 'health'>) {
  const handlers = healthHandlers(deps.health);
  return createRouter()
    .openapi(routes.liveness, handlers.liveness)
    .openapi(routes.ping, handlers.ping)
    .openapi(routes.readiness, handlers.readiness);
}

/**
 * The internal ops port's health routes: liveness (with the process's own problem, e.g. a stopped worker),
 * readiness, and the detailed checks that show internals.
 */
export function opsHealthRouter(health: HealthChecker, problem?: LivenessProblem) {
  const handlers = healthHandlers(health, problem);
  return createRouter()
    .openapi(routes.liveness, handlers.liveness)
    .openapi(routes.readiness, handlers.readiness)
    .openapi(routes.detailed, handlers.detailed)
    .openapi(routes.oneCheck, handlers.oneCheck);
}
