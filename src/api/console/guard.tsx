/** @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Role } from '../identity/caller';
import { csrfMatches, SESSION_COOKIE, type SessionSealer } from '../identity/session';
import type { ConsoleEnv } from './console-env';
import { Problem } from './layout';

/**
 * The console's gate, in order: a session (else the sign-in page, remembering where the staff member was
 * going: the alert email's case link lands on the case after sign-in), a role that may see the page (else a 403
 * page), and on every state-changing request the session's CSRF token (form field `_csrf` or header
 * `X-CSRF-Token`), which a page on another site cannot read.
 */
export function requireSession(sealer: SessionSealer, roles: readonly Role[]): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = await sealer.openSession(getCookie(c, SESSION_COOKIE));
    if (!session) {
      // Scripts (live fragments, the event stream) get a plain 401; a page visit goes to sign-in.
      if (c.req.method !== 'GET' || c.req.header('X-Requested-With') || wantsEvents(c))
        return c.text('Sign in again', 401);
      const here = new URL(c.req.url);
      return c.redirect(`/console/sign-in?returnTo=${encodeURIComponent(here.pathname + here.search)}`, 303);
    }
    c.set('session', session);
    if (!roles.includes(session.role)) {
      return c.html(
        <Problem
          status={403}
          title="Not available to your role"
          message={`The crisis console is for ${roles.join(' and ')} accounts; you are signed in as ${session.sub} (${session.role}).`}
          session={session}
        />,
        403,
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const submitted = c.req.header('X-CSRF-Token') ?? (await formField(c, '_csrf'));
      if (!csrfMatches(session, submitted))
        return c.html(
          <Problem
            status={403}
            title="Form expired"
            message="This form was not sent from your console session (missing or stale security token). Reload the page and try again."
            session={session}
          />,
          403,
        );
    }
    await next();
  };
}

const wantsEvents = (c: Context) => (c.req.header('Accept') ?? '').includes('text/event-stream');

/** One field of a urlencoded or multipart form body (parsed once; Hono caches the parsed body). */
export async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return undefined;
  const body = await c.req.parseBody();
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}
