import type { Context, MiddlewareHandler } from 'hono';
import { sign, verify } from 'hono/jwt';
import { z } from '@hono/zod-openapi';
import { AppError } from './errors';

/** HS256 bearer tokens with `sub` (user id) and `role`. The algorithm is pinned: no `alg` confusion. */
export const ROLES = ['user', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  sub: string;
  role: Role;
}

const claimsSchema = z.object({
  sub: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.@:-]+$/, 'user ids are letters, digits and _.@:-'),
  role: z.enum(ROLES),
  // Required: a token without an expiry would be a credential that works forever (admin included).
  exp: z.number().int(),
  iat: z.number().int().optional(),
});

/**
 * The longest a bearer token may live: 30 days. `wellflow token` is for development and operators' scripts;
 * anything longer-lived belongs to the identity provider, where it can be revoked. A token whose expiry lies
 * further ahead than this (from its `iat`, or from now when it has none) is refused.
 */
export const MAX_TOKEN_LIFETIME_S = 30 * 86_400;

export async function signToken(secret: string, caller: Caller, ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub: caller.sub, role: caller.role, iat: now, exp: now + ttlSeconds }, secret, 'HS256');
}

export function parseTtl(ttl: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(ttl.trim());
  if (!m) throw new Error(`--ttl must look like 30m, 1h or 7d (got ${ttl})`);
  const seconds = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > MAX_TOKEN_LIFETIME_S) throw new Error(`--ttl must be between 1s and 30d (got ${ttl})`);
  return seconds;
}

export function authMiddleware(secret: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (!header)
      throw new AppError('authentication', 'missing_token', 'An Authorization: Bearer <token> header is required');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('authentication', 'invalid_token', 'The Authorization header must be "Bearer <token>"');
    let payload: unknown;
    try {
      payload = await verify(m[1]!, secret, 'HS256');
    } catch {
      throw new AppError('authentication', 'invalid_token', 'The bearer token is invalid or expired');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success)
      throw new AppError('authentication', 'invalid_token', 'The bearer token lacks a valid sub, role or exp claim');
    const issuedAt = claims.data.iat ?? Math.floor(Date.now() / 1000);
    if (claims.data.exp - issuedAt > MAX_TOKEN_LIFETIME_S)
      throw new AppError('authentication', 'invalid_token', 'The bearer token lives longer than 30 days');
    c.set('caller', { sub: claims.data.sub, role: claims.data.role } satisfies Caller);
    await next();
  };
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

/**
 * `requireRole` as route middleware (a route's `middleware`): it runs before the route's validators, so a
 * caller without the role gets 403 whatever the body, and learns nothing about what the route accepts.
 */
export const roleFirst =
  (roles: readonly Role[]): MiddlewareHandler =>
  async (c, next) => {
    requireRole(c, roles);
    await next();
  };

export const isStaff = (who: Caller) => who.role === 'staff' || who.role === 'admin';
