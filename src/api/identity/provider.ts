import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../logger';
import { AppError } from '../errors';
import { type Caller, livesTooLong, subSchema } from './caller';
import { wellflowRole } from './roles';
import type { ProviderSettings } from './settings';

/**
 * Access tokens from the identity provider (AUTH_JWKS_URL), verified with jose against the provider's published
 * keys. Asymmetric algorithms only: an HS* token would need a secret shared with the provider, and `none` is no
 * signature at all (auth.ts sends HS256 to the dev-token path and refuses everything else).
 */
export const PROVIDER_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/**
 * Leeway on `exp`/`nbf`: the provider's and this host's clocks are set independently (NTP keeps them within a
 * second or two; a VM resumed from suspend can be further off). 30 s absorbs that without refusing fresh tokens,
 * and is nothing next to an access token's minutes-to-an-hour lifetime.
 */
export const CLOCK_TOLERANCE_S = 30;

export const JWKS_OPTIONS = {
  /**
   * A JWKS fetch that takes longer fails the request with 503 instead of holding it (and the caller) open.
   * The key set is a small static document: 3 s is plenty for a provider that is up.
   */
  timeoutDuration: 3_000,
  /**
   * After a fetch, a token naming an unknown key refetches no sooner than this: a stream of tokens with
   * made-up `kid`s cannot turn into a stream of requests to the provider, and a key the provider just
   * rotated in is still picked up within 30 s.
   */
  cooldownDuration: 30_000,
  /**
   * Keys are refetched after this long even when every token names a known one, so a key the provider
   * withdrew (rotated out, or compromised) stops being accepted within 10 minutes.
   */
  cacheMaxAge: 10 * 60_000,
};

export interface ProviderVerifier {
  /** The caller the token proves; throws AppError 401 for a bad token, 503 when the keys cannot be fetched. */
  verify(token: string): Promise<Caller>;
}

/** The key set could not be fetched (provider down, slow, or answering something that is not a key set). */
class KeysUnavailable extends Error {}

const refused = (message: string) => new AppError('authentication', 'invalid_token', message);

export function createProviderVerifier(
  settings: ProviderSettings,
  opts: { logger?: Logger; timeoutMs?: number } = {},
): ProviderVerifier {
  const keys = remoteKeys(settings.jwksUrl, opts.timeoutMs ?? JWKS_OPTIONS.timeoutDuration, opts.logger);
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [...PROVIDER_ALGORITHMS],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw asAppError(err);
      }
      return callerOf(payload, settings);
    },
  };
}

function callerOf(payload: JWTPayload, settings: ProviderSettings): Caller {
  const sub = subSchema.safeParse(payload.sub);
  if (!sub.success)
    throw refused("The bearer token's sub is not a Wellflow user id (at most 128 letters, digits and _.@:-)");
  if (livesTooLong(payload.exp!, payload.iat)) throw refused('The bearer token lives longer than 30 days');
  const role = wellflowRole(payload, settings.roleClaim, settings.roleMap);
  // Authentication did not produce a caller (401), rather than a caller without rights (403): there is no role
  // to check a route's rules against.
  if (!role)
    throw refused(`The bearer token carries no Wellflow role: none of its "${settings.roleClaim}" roles is mapped`);
  return { sub: sub.data, role };
}

function asAppError(err: unknown): unknown {
  if (err instanceof KeysUnavailable)
    return new AppError(
      'unavailable',
      'identity_provider_unavailable',
      "The identity provider's signing keys cannot be fetched right now; the token could not be checked",
      null,
      503,
      { 'Retry-After': '5' },
    );
  if (err instanceof errors.JWTExpired) return refused('The bearer token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) return refused(`The bearer token was refused: ${err.message}`);
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
    return refused('The bearer token is not signed by a key the identity provider publishes');
  if (err instanceof errors.JWSSignatureVerificationFailed) return refused("The bearer token's signature is invalid");
  if (err instanceof errors.JOSEError) return refused('The bearer token is invalid');
  return err;
}

/**
 * jose's cached remote key set, with its failures sorted: no key for the token's `kid` is the token's
 * problem (401); anything else (refused connection, timeout, non-200, not a key set) is the provider's (503).
 * A token without a `kid` against a set with several keys of its type also counts as the token's problem:
 * the providers this is for (Keycloak, Auth0, Cognito, oidc-provider) always set `kid`.
 */
function remoteKeys(url: URL, timeoutDuration: number, logger?: Logger): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, { ...JWKS_OPTIONS, timeoutDuration });
  let lastWarned = 0;
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      // One line per 30 s while the provider is unreachable, not one per request.
      if (Date.now() - lastWarned > JWKS_OPTIONS.cooldownDuration) {
        lastWarned = Date.now();
        logger?.warn({ jwksHost: url.host, reason: (err as Error).message }, 'identity provider keys unavailable');
      }
      throw new KeysUnavailable('JWKS unavailable', { cause: err });
    }
  };
}
