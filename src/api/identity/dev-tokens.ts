import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import { AppError } from '../errors';
import { type Caller, livesTooLong, MAX_TOKEN_LIFETIME_S, ROLES, subSchema } from './caller';

/**
 * The HS256 tokens `wellflow token` prints, signed with JWT_SECRET: `sub`, `role`, `exp` (and `iat`). The
 * algorithm is pinned to HS256 here and auth.ts sends only HS256 tokens here, so there is no `alg` confusion
 * between this shared secret and the identity provider's public keys.
 */

const claimsSchema = z.object({
  sub: subSchema,
  role: z.enum(ROLES),
  // Required: a token without an expiry would be a credential that works forever (admin included).
  exp: z.number().int(),
  iat: z.number().int().optional(),
});

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

export async function verifyDevToken(secret: string, token: string): Promise<Caller> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, 'HS256');
  } catch {
    throw new AppError('authentication', 'invalid_token', 'The bearer token is invalid or expired');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success)
    throw new AppError('authentication', 'invalid_token', 'The bearer token lacks a valid sub, role or exp claim');
  if (livesTooLong(claims.data.exp, claims.data.iat))
    throw new AppError('authentication', 'invalid_token', 'The bearer token lives longer than 30 days');
  return { sub: claims.data.sub, role: claims.data.role };
}
