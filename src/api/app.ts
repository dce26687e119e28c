import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { withRequestContext } from '../request-context';
import { secureHeaders } from 'hono/secure-headers';
import { BODY_LIMITS, bodyLimits, createRateLimiter } from './rate-limit';
import { authMiddleware } from './auth';
import type { ApiDeps, App, AppEnv } from './deps';
import { AppError, errorResponse, toAppError, validationError } from './errors';
import { registerCodecRoutes } from './routes/codec';
import { registerDocsRoutes } from './routes/docs';
import { registerHealthRoutes } from './routes/health';
import { registerMetricsRoutes } from './routes/metrics';
import { registerMealBatchRoutes } from './routes/meal-batches';
import { registerMealRoutes } from './routes/meals';
import { registerProfileRoutes } from './routes/profile';
import { registerCrisisRoutes } from './routes/crisis';
import { registerInsightRoutes } from './routes/insights';
import { registerInsightScheduleRoutes } from './routes/insight-schedule';
import { registerScheduleRoutes } from './routes/schedules';
import { registerJournalRoutes } from './routes/journal';
import { registerWorkflowRoutes } from './routes/workflows';
import { registerWorkflowEventRoutes } from './routes/workflow-events';
import { registerWorkflowStatsRoutes } from './routes/workflow-stats';
import { registerQueueRoutes } from './routes/queues';

/** Most JSON routes' body limit (see rate-limit.ts for the per-route table). */
export const JSON_BODY_LIMIT = BODY_LIMITS.json;

export function createApp(deps: ApiDeps): App {
  const app: App = new OpenAPIHono<AppEnv>({
    // Every validation failure (body, query, params) becomes the contract's envelope.
    defaultHook: (result) => {
      if (!result.success)
        throw validationError(result.error, result.target === 'json' ? 'request body' : `${result.target}`);
    },
  });

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  // Everything the request does runs in its context: log lines carry the id, workflow starts forward it.
  app.use('*', (c, next) => withRequestContext({ requestId: c.get('requestId') }, next));
  // One trace per request (when configured): workflow starts inside it become its children.
  if (deps.tracing?.httpMiddleware) app.use('*', deps.tracing.httpMiddleware);
  // Times the whole request, including answers from body limits, rate limits and auth.
  if (deps.metrics) app.use('*', deps.metrics.httpMiddleware);
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'http request',
    );
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));
  // The Temporal Web UI (another origin) calls the codec endpoints from the browser.
  app.use(
    '/codec/*',
    cors({
      origin: deps.config.uiOrigins,
      allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
      allowMethods: ['POST', 'OPTIONS'],
      credentials: true,
    }),
  );
  // Before the body limit and auth: an over-limit client is refused before its body is read or its token checked.
  app.use(
    '*',
    (deps.rateLimiter ?? createRateLimiter(deps.config, deps.logger, { jwtSecret: deps.secrets.jwtSecret })).middleware,
  );
  app.use('*', bodyLimits());
  const auth = authMiddleware(deps.secrets.jwtSecret);
  app.use('/v1/*', auth);
  app.use('/codec/*', async (c, next) => (c.req.method === 'OPTIONS' ? next() : auth(c, next)));

  registerHealthRoutes(app, deps);
  if (deps.metrics) registerMetricsRoutes(app, deps.metrics);
  // Batch routes first: `/v1/meals/batch` must not be read as a meal id.
  registerMealBatchRoutes(app, deps);
  registerMealRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerJournalRoutes(app, deps);
  registerInsightRoutes(app, deps);
  registerInsightScheduleRoutes(app, deps);
  registerScheduleRoutes(app, deps);
  registerCrisisRoutes(app, deps);
  registerWorkflowStatsRoutes(app, deps); // before /v1/workflows/{workflowId}, which would match 'stats'
  registerWorkflowEventRoutes(app, deps);
  registerQueueRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  registerCodecRoutes(app, deps);
  registerDocsRoutes(app);

  app.notFound((c) =>
    errorResponse(c, new AppError('not_found', 'route_not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => errorResponse(c, toAppError(err, deps.logger, c.get('requestId') ?? 'unknown')));
  return app;
}
