import type { Context, MiddlewareHandler } from 'hono';
import { decodeProtectedHeader } from 'jose';
import { AppError } from './errors';
import { type Caller, type Role } from './identity/caller';
import { verifyDevToken } from './identity/dev-tokens';
import { PROVIDER_ALGORITHMS, type ProviderVerifier } from './identity/provider';

/**
 * The one token check. A bearer token is either a `wellflow token` dev token (HS256, JWT_SECRET:
 * identity/dev-tokens.ts) or an identity provider's access token (RS256/ES256/EdDSA against AUTH_JWKS_URL:
 * identity/provider.ts), told apart by the `alg` in its header. Each path pins its own algorithms, so a token
 * cannot pick the other path's key by naming another algorithm.
 */
export { MAX_TOKEN_LIFETIME_S, ROLES, type Caller, type Role } from './identity/caller';
export { parseTtl, signToken } from './identity/dev-tokens';

export interface AuthOptions {
  /** JWT_SECRET: verifies `wellflow token` tokens. */
  secret: string;
  /** The identity provider's verifier (AUTH_JWKS_URL); absent: provider tokens are refused. */
  provider?: ProviderVerifier;
}

const PROVIDER_ALGS: ReadonlySet<string> = new Set(PROVIDER_ALGORITHMS);

export function authMiddleware({ secret, provider }: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    const alg = algorithmOf(token);
    let who: Caller;
    if (alg === 'HS256') {
      who = await verifyDevToken(secret, token);
    } else if (PROVIDER_ALGS.has(alg)) {
      if (!provider)
        throw new AppError('authentication', 'invalid_token', 'Identity provider tokens are not accepted here');
      who = await provider.verify(token);
    } else {
      throw new AppError('authentication', 'invalid_token', `Bearer tokens signed with ${alg} are not accepted`);
    }
    c.set('caller', who);
    await next();
  };
}

function bearerToken(header: string | undefined): string {
  if (!header)
    throw new AppError('authentication', 'missing_token', 'An Authorization: Bearer <token> header is required');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new AppError('authentication', 'invalid_token', 'The Authorization header must be "Bearer <token>"');
  return m[1]!;
}

/** The header's `alg`, read before any check only to choose the path; each path verifies it again. */
function algorithmOf(token: string): string {
  let alg: unknown;
  try {
    ({ alg } = decodeProtectedHeader(token));
  } catch {
    throw new AppError('authentication', 'invalid_token', 'The bearer token is invalid or expired');
  }
  if (typeof alg !== 'string' || !/^[A-Za-z0-9+_-]{1,32}$/.test(alg))
    throw new AppError('authentication', 'invalid_token', 'The bearer token is invalid or expired');
  return alg;
}

export function caller(c: Context): Caller {
  const value = c.get('caller') as Caller | undefined;
  if (!value) throw new AppError('authentication', 'missing_token', 'Authentication required');
  return value;
}

export function requireRole(c: Context, roles: readonly Role[]): Caller {
  const who = caller(c);
  if (!roles.includes(who.role)) {
    throw new AppError('authorization', 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`);
  }
  return who;
}

/** The roles that work on crisis cases and see every run. */
export const STAFF_ROLES = ['staff', 'admin'] as const satisfies readonly Role[];

/** The roles a `roleFirst` middleware requires, so the OpenAPI document can declare its 403 (schemas/responses.ts). */
const ROLE_CHECKS = new WeakMap<MiddlewareHandler, readonly Role[]>();
export const rolesRequiredBy = (middleware: MiddlewareHandler): readonly Role[] | undefined =>
  ROLE_CHECKS.get(middleware);

/**
 * `requireRole` as route middleware (a route's `middleware`): it runs before the route's validators, so a
 * caller without the role gets 403 whatever the body, and learns nothing about what the route accepts.
 */
export const roleFirst = (roles: readonly Role[]): MiddlewareHandler => {
  const check: MiddlewareHandler = async (c, next) => {
    requireRole(c, roles);
    await next();
  };
  ROLE_CHECKS.set(check, roles);
  return check;
};

export const isStaff = (who: Caller) => who.role === 'staff' || who.role === 'admin';
