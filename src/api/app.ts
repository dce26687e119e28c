import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { withRequestContext } from '../request-context';
import { authMiddleware } from './auth';
import { AppError, errorResponse, methodNotAllowed, toAppError } from './errors';
import { consoleRouter } from './console/console.index';
import { codecAuth } from './identity/codec-auth';
import { createProviderVerifier } from './identity/provider';
import { createSessionSealer } from './identity/session';
import { providerSettingsFrom } from './identity/settings';
import { BODY_LIMITS, bodyLimits } from './middleware/body-limit';
import { allowedMethods } from './middleware/method-not-allowed';
import { createRateLimiter } from './middleware/rate-limit';
import { createRouter } from './router';
import { codecRouter } from './routes/codec/codec.index';
import { registerDocsRoutes } from './routes/docs/docs.index';
import { healthRouter } from './routes/health/health.index';
import { insightScheduleRouter } from './routes/insight-schedule/insight-schedule.index';
import { insightsRouter } from './routes/insights/insights.index';
import { journalRouter } from './routes/journal/journal.index';
import { maintenanceRouter } from './routes/maintenance/maintenance.index';
import { modelRetrainingsRouter } from './routes/model-retrainings/model-retrainings.index';
import { mealBatchesRouter } from './routes/meal-batches/meal-batches.index';
import { mealsRouter } from './routes/meals/meals.index';
import { mealCorrectionsRouter } from './routes/meal-corrections/meal-corrections.index';
import { foodsRouter } from './routes/foods/foods.index';
import { profileRouter } from './routes/profile/profile.index';
import { accountExportRouter } from './routes/account-export/account-export.index';
import { accountErasureRouter } from './routes/account-erasure/account-erasure.index';
import { erasedAccountGuard, erasedAccounts } from './middleware/erased-account';
import { crisisRouter } from './routes/crisis/crisis.index';
import { queuesRouter } from './routes/queues/queues.index';
import { schedulesRouter } from './routes/schedules/schedules.index';
import { workflowsRouter } from './routes/workflows/workflows.index';
import { tasksRouter } from './routes/tasks/tasks.index';
import { taskInboxRouter } from './routes/tasks-inbox/tasks-inbox.index';
import type { ApiDeps, App } from './types';

/** Most JSON routes' body limit (see middleware/body-limit.ts for the per-route table). */
export const JSON_BODY_LIMIT = BODY_LIMITS.json;

/**
 * The whole API: middleware in the order every request meets it, then one router per resource
 * (src/api/routes/<name>/), then the contract's error envelope for anything unmatched or thrown.
 */
export function createApp(deps: ApiDeps): App {
  const app = createRouter();
  useMiddleware(app, deps);

  // Liveness, ping and readiness only: /metrics and /health/detailed are on the ops port (ops-app.ts).
  app.route('/', healthRouter(deps));
  // Batch routes first: `/v1/meals/batch` must not be read as a meal id.
  app.route('/', mealBatchesRouter(deps));
  app.route('/', mealsRouter(deps));
  app.route('/', mealCorrectionsRouter(deps));
  app.route('/', foodsRouter());
  app.route('/', profileRouter(deps));
  app.route('/', accountExportRouter(deps));
  app.route('/', accountErasureRouter(deps));
  app.route('/', journalRouter(deps));
  app.route('/', insightsRouter(deps));
  app.route('/', insightScheduleRouter(deps));
  app.route('/', schedulesRouter(deps));
  app.route('/', maintenanceRouter(deps));
  app.route('/', modelRetrainingsRouter(deps));
  app.route('/', crisisRouter(deps));
  app.route('/', tasksRouter(deps));
  app.route('/', taskInboxRouter(deps));
  app.route('/', workflowsRouter(deps));
  app.route('/', queuesRouter(deps));
  app.route('/', codecRouter(deps));
  // The staff console's pages (HTML, session cookie): src/api/console.
  app.route('/', consoleRouter(deps).router);
  registerDocsRoutes(app);

  // A path that exists with other methods is a 405 with `Allow`; only a path nothing answers is a 404.
  const allowedOn = allowedMethods(app);
  app.notFound((c) => {
    const allowed = allowedOn(c.req.path);
    if (allowed.length > 0) return errorResponse(c, methodNotAllowed(c.req.method, c.req.path, allowed));
    return errorResponse(c, new AppError('not_found', 'route_not_found', `No route for ${c.req.method} ${c.req.path}`));
  });
  app.onError((err, c) => errorResponse(c, toAppError(err, deps.logger, c.get('requestId') ?? 'unknown')));
  return app;
}

function useMiddleware(app: App, deps: ApiDeps): void {
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
  // The limits, the token check and the body limit, in this order: an over-limit address is refused before
  // its token is checked; the token is checked once (auth), and the per-user limit reads the caller auth
  // found; no body is buffered before its sender passed all three.
  const limiter = deps.rateLimiter ?? createRateLimiter(deps.config, deps.logger);
  // One verifier per app: it holds the identity provider's cached key set (none without AUTH_JWKS_URL).
  const identity = providerSettingsFrom(deps.config);
  const provider = identity && createProviderVerifier(identity, { logger: deps.logger });
  const auth = authMiddleware({ secret: deps.secrets.jwtSecret, provider });
  app.use('*', limiter.perIp);
  app.use('/v1/*', auth);
  // An erased person's token is refused (410) before anything else reads or starts work for them.
  app.use('/v1/*', erasedAccountGuard(erasedAccounts(deps.database, deps.logger)));
  // The codec accepts a bearer token or the console's session cookie (the Web UI can only send the cookie).
  const sessionOrigins = [...deps.config.uiOrigins, new URL(deps.config.publicUrl).origin];
  const sealer = createSessionSealer(deps.secrets.jwtSecret);
  app.use('/codec/*', codecAuth({ bearer: auth, sealer, allowedOrigins: sessionOrigins }));
  app.use('/v1/*', limiter.perUser);
  app.use('*', bodyLimits());
}
