import { z } from 'zod';
import { ROLES, type Role } from './domain/roles';

/**
 * The identity provider's environment variables, as zod fields that src/config.ts spreads into its schema
 * (`...identityEnvShape`), and the rules between them (`identityEnvProblem`). A neutral module, not part of
 * src/api: the configuration is read by every role (workers, migrate, the CLI), and config.ts must not import
 * the HTTP layer (layers point one way). src/api/identity/settings.ts turns them into the verifier's settings.
 * Unset AUTH_JWKS_URL: only `wellflow token` (HS256) tokens are accepted.
 */

/** One AUTH_ROLE_MAP entry: the provider's role name and the Wellflow role it grants. */
export type RoleMapping = readonly [providerRole: string, role: Role];

/** An AUTH_ROLE_MAP that cannot be used; `reason` is the message without the variable's name. */
export class RoleMapError extends Error {
  constructor(readonly reason: string) {
    super(`AUTH_ROLE_MAP ${reason}`);
    this.name = 'RoleMapError';
  }
}

/**
 * `crisis-staff:staff,ops:admin,member:user` → pairs. The Wellflow role is after the last colon, so a
 * provider role may itself contain colons (URNs, Keycloak `client:role` names). Several provider roles may
 * grant the same Wellflow role; one provider role may not grant two.
 */
export function parseRoleMap(value: string): RoleMapping[] {
  const pairs: RoleMapping[] = [];
  const seen = new Map<string, Role>();
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const colon = entry.lastIndexOf(':');
    const from = entry.slice(0, Math.max(colon, 0)).trim();
    const to = entry.slice(colon + 1).trim();
    if (colon < 0 || from === '')
      throw new RoleMapError(`entry ${JSON.stringify(entry)} must look like provider-role:wellflow-role`);
    if (!(ROLES as readonly string[]).includes(to))
      throw new RoleMapError(
        `entry ${JSON.stringify(entry)} maps to ${JSON.stringify(to)}, which is not a Wellflow role (${ROLES.join(', ')})`,
      );
    const earlier = seen.get(from);
    if (earlier !== undefined && earlier !== to)
      throw new RoleMapError(`maps ${JSON.stringify(from)} to both ${earlier} and ${to}`);
    if (earlier === undefined) pairs.push([from, to as Role]);
    seen.set(from, to as Role);
  }
  if (pairs.length === 0) throw new RoleMapError('must map at least one provider role, e.g. crisis-staff:staff');
  return pairs;
}

const nonEmpty = z.string().trim().min(1);

export const identityEnvShape = {
  /** The provider's JSON Web Key Set (e.g. Keycloak `<issuer>/protocol/openid-connect/certs`); unset: dev tokens only. */
  AUTH_JWKS_URL: nonEmpty
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http:// or https:// URL')
    .optional(),
  /** The exact `iss` the provider's tokens carry (required with AUTH_JWKS_URL). */
  AUTH_ISSUER: nonEmpty.optional(),
  /** The `aud` the provider puts in access tokens for this API (required with AUTH_JWKS_URL). */
  AUTH_AUDIENCE: nonEmpty.optional(),
  /** Where the roles are: a claim name or a dotted path into the claims (`realm_access.roles`). */
  AUTH_ROLE_CLAIM: nonEmpty.default('roles'),
  /** `provider-role:wellflow-role,...` (required with AUTH_JWKS_URL); the highest mapped role wins. */
  AUTH_ROLE_MAP: z
    .string()
    .transform((v, ctx) => {
      try {
        return parseRoleMap(v);
      } catch (err) {
        if (!(err instanceof RoleMapError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.reason });
        return z.NEVER;
      }
    })
    .optional(),
};

export type IdentityEnv = z.infer<z.ZodObject<typeof identityEnvShape>>;

/** The rules between the variables, as loadConfig's one-line message (without its prefix); undefined: fine. */
export function identityEnvProblem(e: IdentityEnv): string | undefined {
  if (e.AUTH_JWKS_URL) {
    // Without an issuer and audience check, any token the provider signs (for any other application) would do.
    if (!e.AUTH_ISSUER) return 'AUTH_ISSUER is required with AUTH_JWKS_URL (the iss every provider token must carry)';
    if (!e.AUTH_AUDIENCE)
      return 'AUTH_AUDIENCE is required with AUTH_JWKS_URL (the aud the provider gives tokens for this API)';
    if (!e.AUTH_ROLE_MAP)
      return 'AUTH_ROLE_MAP is required with AUTH_JWKS_URL (without it no provider token carries a Wellflow role)';
    return undefined;
  }
  const orphan = (['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ROLE_MAP'] as const).find((k) => e[k] !== undefined);
  return orphan
    ? `AUTH_JWKS_URL is required with ${orphan} (the provider's keys; unset both to use dev tokens only)`
    : undefined;
}
