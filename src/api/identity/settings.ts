import type { Role } from '../../domain/roles';
import type { IdentityEnv } from '../../identity-env';

/**
 * The token verifier's settings, made from the identity provider's variables that src/identity-env.ts declares
 * and src/config.ts validates (`providerSettingsFrom`).
 */

export interface ProviderSettings {
  jwksUrl: URL;
  issuer: string;
  audience: string;
  roleClaim: string;
  roleMap: ReadonlyMap<string, Role>;
}

/** The verifier's settings from a validated configuration; undefined when no provider is configured. */
export function providerSettingsFrom(e: IdentityEnv): ProviderSettings | undefined {
  if (!e.AUTH_JWKS_URL || !e.AUTH_ISSUER || !e.AUTH_AUDIENCE || !e.AUTH_ROLE_MAP) return undefined;
  return {
    jwksUrl: new URL(e.AUTH_JWKS_URL),
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    roleClaim: e.AUTH_ROLE_CLAIM,
    roleMap: new Map(e.AUTH_ROLE_MAP),
  };
}
