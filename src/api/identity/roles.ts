import { type Role, ROLES } from './caller';

/**
 * From an identity provider's claims to one Wellflow role (pure; tests/unit/identity-roles.test.ts).
 * AUTH_ROLE_CLAIM says where the provider puts roles, AUTH_ROLE_MAP which of them mean what here.
 */

/** The provider's role name → the Wellflow role it grants (AUTH_ROLE_MAP parsed; see settings.ts). */
export type RoleMap = ReadonlyMap<string, Role>;

const RANK: Record<Role, number> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;

/**
 * The value at `path` in the claims. The whole path is tried as one top-level claim name first, because
 * namespaced custom claims are URLs with dots in them (Auth0: `https://example.org/roles`); otherwise it is a
 * dotted path through nested objects (Keycloak: `realm_access.roles`). Own properties only: a path like
 * `__proto__.x` or `constructor` finds nothing.
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let here: unknown = claims;
  for (const segment of path.split('.')) {
    if (here === null || typeof here !== 'object' || Array.isArray(here) || !Object.hasOwn(here, segment))
      return undefined;
    here = (here as Record<string, unknown>)[segment];
  }
  return here;
}

/** The provider's role names in a claim value: one string, or an array (non-strings in it are ignored). */
export function roleNames(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The highest Wellflow role any of the provider's roles maps to; undefined when none maps. */
export function wellflowRole(claims: Record<string, unknown>, path: string, map: RoleMap): Role | undefined {
  let best: Role | undefined;
  for (const name of roleNames(claimAt(claims, path))) {
    const role = map.get(name);
    if (role && (best === undefined || RANK[role] > RANK[best])) best = role;
  }
  return best;
}
