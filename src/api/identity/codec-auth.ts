import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../errors';
import { SESSION_COOKIE, type SessionSealer } from './session';

/**
 * Who may call the codec endpoints: a bearer token (the CLI's `--codec-auth`), else a console session cookie,
 * which is what the Temporal Web UI sends when its codec setting "Include cross-origin credentials" is on
 * (it cannot attach a bearer token). A cookie-authenticated call from a browser must come from a Web UI origin
 * (config.uiOrigins, the same list CORS allows) or from the console itself: another page on the same site
 * cannot have payloads decoded with a staff member's cookie.
 */
export function codecAuth(opts: {
  bearer: MiddlewareHandler;
  sealer: SessionSealer;
  allowedOrigins: readonly string[];
}): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const cookie = getCookie(c, SESSION_COOKIE);
    if (c.req.header('Authorization') || !cookie) return opts.bearer(c, next);
    const session = await opts.sealer.openSession(cookie);
    if (!session)
      throw new AppError('authentication', 'session_expired', 'The console session has expired: sign in again');
    const origin = c.req.header('Origin');
    if (origin && !opts.allowedOrigins.includes(origin))
      throw new AppError(
        'authorization',
        'origin_not_allowed',
        `Codec calls with a session are not accepted from ${origin}`,
      );
    c.set('caller', { sub: session.sub, role: session.role });
    await next();
  };
}
