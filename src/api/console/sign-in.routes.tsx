/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ROLES, subSchema } from '../identity/caller';
import type { OidcSignIn } from '../identity/oidc';
import {
  cookieOptions,
  csrfMatches,
  safeReturnTo,
  SESSION_COOKIE,
  SESSION_TTL_S,
  type SessionSealer,
  SIGN_IN_COOKIE,
  SIGN_IN_TTL_S,
} from '../identity/session';
import type { SignInMode } from '../../sign-in-env';
import type { ConsoleEnv } from './console-env';
import { formField } from './guard';
import { Page, Problem } from './layout';

/**
 * Signing in and out. With a provider client (AUTH_CLIENT_ID) sign-in is OpenID Connect code + PKCE
 * (identity/oidc.ts); in development mode only, a form that asks for a staff id and role. Sign-out clears the
 * cookie (POST with the session's CSRF token, so another site cannot sign staff out).
 */
export function signInRoutes(opts: { mode: SignInMode; sealer: SessionSealer; oidc?: OidcSignIn; publicUrl: string }) {
  const { mode, sealer, oidc, publicUrl } = opts;
  const app = new Hono<ConsoleEnv>();
  const sessionCookie = cookieOptions(publicUrl, SESSION_TTL_S);

  app.get('/console/sign-in', async (c) => {
    const returnTo = safeReturnTo(c.req.query('returnTo'));
    if (mode === 'oidc' && oidc) {
      const { url, state } = await oidc.begin(returnTo);
      setCookie(c, SIGN_IN_COOKIE, await sealer.sealSignIn(state), cookieOptions(publicUrl, SIGN_IN_TTL_S));
      return c.redirect(url.href, 303);
    }
    if (mode === 'development') return c.html(<DevSignIn returnTo={returnTo} />);
    return c.html(
      <Problem
        status={503}
        title="Sign-in is not configured"
        message="Set AUTH_CLIENT_ID (with the identity provider's AUTH_* settings) to sign in to the console."
      />,
      503,
    );
  });

  app.get('/console/auth/callback', async (c) => {
    const state = await sealer.openSignIn(getCookie(c, SIGN_IN_COOKIE));
    deleteCookie(c, SIGN_IN_COOKIE, { path: '/' });
    if (!oidc || !state)
      return c.html(
        <Problem status={400} title="Sign-in expired" message="This sign-in took too long or was not started here." />,
        400,
      );
    // The callback URL as registered (public URL), with the provider's parameters: what the code was issued for.
    const callback = new URL(redirectUri(publicUrl));
    callback.search = new URL(c.req.url).search;
    const who = await oidc.finish(callback, state);
    setCookie(c, SESSION_COOKIE, await sealer.sealSession(who), sessionCookie);
    return c.redirect(state.returnTo, 303);
  });

  // Only in development mode: anywhere else the route is not registered at all (404), whatever is posted.
  if (mode === 'development')
    app.post('/console/dev-sign-in', async (c) => {
      const sub = subSchema.safeParse(await formField(c, 'staffId'));
      const roleField = await formField(c, 'role');
      const role = ROLES.find((r) => r === roleField);
      if (!sub.success || !role)
        return c.html(
          <Problem
            status={422}
            title="Check the form"
            message="A staff id (letters, digits, _.@:-) and a role are needed."
          />,
          422,
        );
      setCookie(c, SESSION_COOKIE, await sealer.sealSession({ sub: sub.data, role }), sessionCookie);
      return c.redirect(safeReturnTo(await formField(c, 'returnTo')), 303);
    });

  app.post('/console/sign-out', async (c) => {
    const session = await sealer.openSession(getCookie(c, SESSION_COOKIE));
    if (session && !csrfMatches(session, await formField(c, '_csrf')))
      return c.html(<Problem status={403} title="Form expired" message="Reload the page and sign out again." />, 403);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.html(
      <Page title="Signed out">
        <h1>Signed out</h1>
        <p>
          <a href="/console/sign-in">Sign in again</a>
        </p>
      </Page>,
    );
  });

  return app;
}

export const redirectUri = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}/console/auth/callback`;

function DevSignIn({ returnTo }: { returnTo: string }) {
  return (
    <Page title="Development sign-in" dev>
      <h1>Development sign-in</h1>
      <p>
        This form exists only when the service runs in development mode (<code>npm start</code>). In production staff
        sign in with the identity provider.
      </p>
      <form method="post" action="/console/dev-sign-in" class="stack">
        <input type="hidden" name="returnTo" value={returnTo} />
        <label for="staffId">Staff id</label>
        <input id="staffId" name="staffId" required autocomplete="username" value="nurse-1" />
        <label for="role">Role</label>
        <select id="role" name="role">
          <option value="staff">staff</option>
          <option value="admin">admin</option>
          <option value="user">user</option>
        </select>
        <button type="submit">Sign in (development)</button>
      </form>
    </Page>
  );
}
