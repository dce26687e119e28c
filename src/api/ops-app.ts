import { requestId } from 'hono/request-id';
import type { Logger } from '../logger';
import type { HealthChecker } from '../observability/health-checks';
import type { Metrics } from '../observability/metrics';
import { AppError, errorResponse, toAppError } from './errors';
import { createRouter } from './router';
import type { LivenessProblem } from './routes/health/health.handlers';
import { opsHealthRouter } from './routes/health/health.index';
import { metricsRouter } from './routes/metrics/metrics.index';
import type { App } from './types';

export interface OpsDeps {
  health: HealthChecker;
  logger: Logger;
  /** The API's Prometheus registry (API processes only: workers' metrics are the Temporal SDK's own port). */
  metrics?: Pick<Metrics, 'registry'>;
  /** What keeps this process from working (a worker process: a stopped worker, Temporal not answering). */
  problem?: LivenessProblem;
}

/**
 * The internal ops port (OPS_HOST:OPS_PORT) of every long-running process: /health (liveness, with the
 * process's own problem), /ready, /health/detailed, /health/{check} and, on API processes, /metrics. These
 * show internals (versions, disk, memory, pollers, crisis case gauges), so they are not on the public port;
 * deploy the ops port where only the orchestrator and Prometheus reach it. No rate limit or token: what
 * reaches this port is trusted by where it is bound.
 */
export function createOpsApp(deps: OpsDeps): App {
  const app = createRouter();
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.route('/', opsHealthRouter(deps.health, deps.problem));
  if (deps.metrics) app.route('/', metricsRouter(deps.metrics));
  app.notFound((c) =>
    errorResponse(c, new AppError('not_found', 'route_not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => errorResponse(c, toAppError(err, deps.logger, c.get('requestId') ?? 'unknown')));
  return app;
}
