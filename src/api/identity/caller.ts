import { z } from 'zod';
import type { Role } from '../../domain/roles';

/**
 * Who a request comes from, whichever kind of token proved it: a person's or operator's id and one Wellflow
 * role. Shared by both token paths (dev-tokens.ts, provider.ts) so they cannot disagree on what a caller is.
 */
export { ROLES, type Role } from '../../domain/roles';

export interface Caller {
  sub: string;
  role: Role;
}

/**
 * A user id as Wellflow stores it: it becomes part of workflow ids (`crisis-<userId>`), search attributes
 * and schedule ids, so it is kept to characters that are safe in all of them.
 */
export const subSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.@:-]+$/, 'user ids are letters, digits and _.@:-');

/**
 * The longest a bearer token may live: 30 days. `wellflow token` is for development and operators' scripts;
 * anything longer-lived belongs to the identity provider, where it can be revoked (and its access tokens
 * usually live minutes to an hour). A token whose expiry lies further ahead than this (from its `iat`, or
 * from now when it has none) is refused, whoever signed it.
 */
export const MAX_TOKEN_LIFETIME_S = 30 * 86_400;

export function livesTooLong(exp: number, iat: number | undefined, nowS = Math.floor(Date.now() / 1000)): boolean {
  return exp - (iat ?? nowS) > MAX_TOKEN_LIFETIME_S;
}
