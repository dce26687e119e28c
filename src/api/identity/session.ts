import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import { type Caller, ROLES, subSchema } from './caller';

/**
 * The console's browser session: a cookie whose content is an encrypted JWT (JWE `dir` + A256GCM, jose), so
 * the browser can neither read nor forge it. It holds the staff member's id and role and the CSRF token the
 * console's forms carry back (a synchronizer token: a cross-site page cannot read it). Nothing is stored
 * server-side, so any API replica with the same JWT_SECRET reads it.
 */

export const SESSION_COOKIE = 'wellflow_console';
/** The sign-in round trip's PKCE verifier, state and return-to (encrypted like the session). */
export const SIGN_IN_COOKIE = 'wellflow_sign_in';

/**
 * A session lasts one 8-hour shift: long enough not to interrupt on-call work, short enough that a browser left
 * signed in on a shared machine does not stay usable for days. There is no sliding renewal: sign in again.
 */
export const SESSION_TTL_S = 8 * 3600;
/** The provider round trip (log in, consent) must finish within 10 minutes, after which its PKCE verifier expires. */
export const SIGN_IN_TTL_S = 10 * 60;

export interface Session extends Caller {
  csrf: string;
}

export interface SignInState {
  verifier: string;
  state: string;
  returnTo: string;
}

const sessionClaims = z.object({ sub: subSchema, role: z.enum(ROLES), csrf: z.string().min(16) });
const signInClaims = z.object({ verifier: z.string(), state: z.string(), returnTo: z.string() });

/** The cookies' key, derived from JWT_SECRET for this one purpose (a leaked cookie key is not the token key). */
export function sessionKey(jwtSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', jwtSecret, 'wellflow', 'console-session-v1', 32));
}

export function createSessionSealer(jwtSecret: string) {
  const key = sessionKey(jwtSecret);
  async function seal(claims: Record<string, unknown>, ttlS: number, purpose: string): Promise<string> {
    return new EncryptJWT(claims)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${ttlS}s`)
      .setAudience(purpose)
      .encrypt(key);
  }
  async function open(value: string | undefined, purpose: string): Promise<unknown> {
    if (!value) return undefined;
    try {
      return (await jwtDecrypt(value, key, { audience: purpose, requiredClaims: ['exp'] })).payload;
    } catch {
      return undefined; // expired, tampered or from another key: as if there were no cookie
    }
  }
  return {
    sealSession: (caller: Caller) =>
      seal(
        { sub: caller.sub, role: caller.role, csrf: randomBytes(24).toString('base64url') },
        SESSION_TTL_S,
        'session',
      ),
    async openSession(value: string | undefined): Promise<Session | undefined> {
      const parsed = sessionClaims.safeParse(await open(value, 'session'));
      return parsed.success ? parsed.data : undefined;
    },
    sealSignIn: (s: SignInState) => seal({ ...s }, SIGN_IN_TTL_S, 'sign-in'),
    async openSignIn(value: string | undefined): Promise<SignInState | undefined> {
      const parsed = signInClaims.safeParse(await open(value, 'sign-in'));
      return parsed.success ? parsed.data : undefined;
    },
  };
}

export type SessionSealer = ReturnType<typeof createSessionSealer>;

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(session: Session, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const a = createHash('sha256').update(session.csrf).digest();
  const b = createHash('sha256').update(submitted).digest();
  return timingSafeEqual(a, b);
}

/** A return-to path that stays on this console: anything else (another host, `//evil`, `/\evil`) is /console. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/console') || /[\\\r\n]/.test(value) || value.startsWith('//')) return '/console';
  return value;
}

/**
 * Cookie attributes: HttpOnly (scripts never see it), SameSite=Lax (not sent on cross-site POSTs or
 * sub-requests), Secure unless the console is served from this machine over plain http.
 */
export function cookieOptions(publicUrl: string, maxAge: number) {
  const host = new URL(publicUrl).hostname;
  const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  return { httpOnly: true, sameSite: 'Lax' as const, secure: !local, path: '/', maxAge };
}
