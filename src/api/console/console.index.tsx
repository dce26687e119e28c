/** @jsxImportSource hono/jsx */
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { loadCrisisPolicy } from '../../crisis-policy';
import { createConsoleRepository } from '../../db/repositories/console';
import { signInMode } from '../../sign-in-env';
import { STAFF_ROLES } from '../auth';
import { AppError, toAppError } from '../errors';
import { createOidcSignIn } from '../identity/oidc';
import { createSessionSealer, type SessionSealer } from '../identity/session';
import { providerSettingsFrom } from '../identity/settings';
import { createCrisisService } from '../services/crisis.service';
import { createQueueService } from '../services/queues.service';
import { createScheduleService } from '../services/schedules.service';
import type { ConsoleDeps, ConsoleEnv } from './console-env';
import { crisisRoutes } from './crisis.routes';
import { requireSession } from './guard';
import { Problem } from './layout';
import { createLiveFeed, mountEventStream } from './live-feed';
import { opsRoutes } from './ops.routes';
import { redirectUri, signInRoutes } from './sign-in.routes';

const ASSETS = path.join(__dirname, 'assets');
const ASSET_TYPES: Record<string, string> = { 'console.css': 'text/css', 'console.js': 'text/javascript' };

/**
 * The staff console at /console: server-rendered pages (Hono JSX), one stylesheet and one small script served
 * from here. Staff and admins see the crisis pages; admins also the operations page; anyone else a 403 page.
 */
export function consoleRouter(deps: ConsoleDeps) {
  const { config } = deps;
  const sealer = createSessionSealer(deps.secrets.jwtSecret);
  const mode = signInMode(config);
  const provider = providerSettingsFrom(config);
  const oidc =
    mode === 'oidc' && provider && config.AUTH_CLIENT_ID
      ? createOidcSignIn({
          provider,
          clientId: config.AUTH_CLIENT_ID,
          clientSecret: config.AUTH_CLIENT_SECRET,
          redirectUri: redirectUri(config.publicUrl),
        })
      : undefined;
  const rows = createConsoleRepository(deps.database.db);
  const feed = createLiveFeed(rows, deps.logger);

  const app = new Hono<ConsoleEnv>();
  app.use('/console/*', async (c, next) => {
    await next();
    // Only this origin's scripts, styles and connections; no framing (clickjacking an "acknowledge" button).
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self' " +
        (provider ? new URL(provider.issuer).origin : ''),
    );
    c.header('Cache-Control', c.req.path.startsWith('/console/assets/') ? 'public, max-age=300' : 'no-store');
  });

  app.get('/console/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = ASSET_TYPES[name];
    if (!type) return c.notFound();
    return c.body(fs.readFileSync(path.join(ASSETS, name)), 200, { 'Content-Type': `${type}; charset=utf-8` });
  });
  app.route('/', signInRoutes({ mode, sealer, oidc, publicUrl: config.publicUrl }));

  const staff = requireSession(sealer, STAFF_ROLES);
  const staffPaths = [
    ...['/console', '/console/queue/*', '/console/cases/*', '/console/events'],
    ...['/console/screening', '/console/screening/*'],
  ];
  for (const p of staffPaths) app.use(p, staff);
  app.use('/console/ops', requireSession(sealer, ['admin']));
  app.use('/console/ops/*', requireSession(sealer, ['admin']));

  mountEventStream(app, feed);
  app.route(
    '/',
    crisisRoutes({
      crisis: createCrisisService(deps),
      rows,
      policy: loadCrisisPolicy(config.CRISIS_POLICY_FILE),
      timeScale: config.CRISIS_TIME_SCALE,
    }),
  );
  app.route(
    '/',
    opsRoutes({
      temporal: deps.temporal,
      namespace: config.TEMPORAL_NAMESPACE,
      health: deps.health,
      queues: createQueueService({ temporal: deps.temporal, namespace: config.TEMPORAL_NAMESPACE }),
      schedules: createScheduleService({ temporal: deps.temporal, schedulesFile: config.SCHEDULES_FILE }),
      webUi: config.uiOrigins[0] ?? `http://localhost:${config.TEMPORAL_UI_PORT}`,
    }),
  );

  // Errors as pages (the API's JSON envelope is for programs); a script's fetch gets the message as text.
  app.onError((err, c) => {
    const e = err instanceof AppError ? err : toAppError(err, deps.logger, c.get('requestId') ?? 'unknown');
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
    if (c.req.header('X-Requested-With')) return c.text(e.message, e.status);
    return c.html(
      <Problem status={e.status} title={titleOf(e)} message={e.message} session={c.var.session} />,
      e.status,
    );
  });
  return { router: app, sealer, stop: () => feed.stop() };
}

function titleOf(e: AppError): string {
  if (e.category === 'not_found') return 'Not found';
  if (e.category === 'conflict') return 'Not possible right now';
  if (e.category === 'validation') return 'Check the form';
  if (e.category === 'unavailable') return 'Temporarily unavailable';
  if (e.category === 'authentication') return 'Sign-in failed';
  if (e.category === 'authorization') return 'Not allowed';
  return 'Something went wrong';
}

export type ConsoleRouter = ReturnType<typeof consoleRouter>;
export type { SessionSealer };
